/**
 * `npm run emulator`: the LINE / WhatsApp channel emulator (backend-sync/emulator). See
 * backend-sync/emulator/cli.ts for the commands, docs/demo.md "Playing the customer" for a walk-through.
 */
import { runEmulatorCli } from '../backend-sync/emulator/cli';

runEmulatorCli(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
