import { measureDrain } from './tillDrain';
const r = await measureDrain();
console.log(JSON.stringify(r));
process.exit(0);
