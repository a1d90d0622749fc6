/**
 * A real hub (createHub) in its own process, for the benches: the hub is another machine, so its
 * work must not be billed to the event loop of the consoles that load it. Serves the database
 * described by the JSON options in the first argument (a SQLite data folder, or a PostgreSQL URL
 * and schema), prints its URL as one JSON line on stdout, and closes cleanly on SIGTERM.
 */
import { createHub } from '../backend-sync/hub/server';
import { HubNodeOptions } from './hubNodes';

const options = HubNodeOptions.parse(JSON.parse(process.argv[2] ?? 'null'));
const hub = await createHub({
  port: 0,
  dataDir: options.dataDir,
  databaseUrl: options.databaseUrl ?? '',
  ...(options.searchPath ? { searchPath: options.searchPath } : {}),
  ...(options.lineApiBaseUrl ? { lineApiBaseUrl: options.lineApiBaseUrl } : {}),
  ...(options.whatsappApiBaseUrl ? { whatsappApiBaseUrl: options.whatsappApiBaseUrl } : {}),
  logLevel: 'silent',
  adminToken: 'bench',
});
process.once('SIGTERM', () => {
  void hub.close().then(() => process.exit(0));
});
process.stdout.write(JSON.stringify({ url: hub.url }) + '\n');
