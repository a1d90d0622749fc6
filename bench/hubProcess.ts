/**
 * A real hub (createHub, SQLite) in its own process, for the first-sync bench: the hub is another
 * machine, so its reading and serialising must not be billed to the console's event loop. Serves
 * the SQLite file in the folder given as the first argument, prints its URL as one JSON line on
 * stdout, and closes cleanly on SIGTERM.
 */
import { createHub } from '../backend-sync/hub/server';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: hubProcess.ts <dataDir>');
const hub = await createHub({ port: 0, dataDir, databaseUrl: '', logLevel: 'silent', adminToken: 'bench' });
process.once('SIGTERM', () => {
  void hub.close().then(() => process.exit(0));
});
process.stdout.write(JSON.stringify({ url: hub.url }) + '\n');
