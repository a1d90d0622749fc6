/**
 * `npm run hub -- --port 4100 --data ./var/hub --demo [--host 127.0.0.1]`
 * Starts the hub in the foreground; DATABASE_URL (env) selects PostgreSQL. Ctrl-C / SIGTERM close
 * sockets, HTTP and the database before exiting.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { isAppError } from '../domain/errors';
import { HUB_CLI_OPTIONS } from './cliOptions';
import { DEMO_ADMIN_TOKEN } from './config';
import { createHub, type Hub } from './server';

const USAGE = `Usage: npm run hub -- [--port 4100] [--host 127.0.0.1] [--data ./var/hub] [--demo] [--log-level info]
  DATABASE_URL=postgres://…  use PostgreSQL instead of the SQLite file in --data
  HUB_ADMIN_TOKEN=…          bearer token of the admin API (default: ${DEMO_ADMIN_TOKEN} with --demo, else random)`;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: HUB_CLI_OPTIONS, strict: true });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be 0–65535, got "${values.port}"`);

  const hub = await createHub({
    port,
    host: values.host,
    dataDir: path.resolve(values.data),
    demo: values.demo,
    ...(values['log-level'] ? { logLevel: values['log-level'] } : {}),
  });
  printBanner(hub);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the hub…`);
    hub.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error('The hub did not stop cleanly:', err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

function printBanner(hub: Hub): void {
  const lines = [
    '',
    `OMO hub listening on ${hub.url}  (database: ${hub.dbKind})`,
    `  health:        ${hub.url}/healthz`,
    `  admin API:     ${hub.url}/api  (Authorization: Bearer <admin token>)`,
  ];
  // The admin token is printed to the terminal once, never to the log.
  if (hub.adminTokenSource === 'generated')
    lines.push(`  admin token:   ${hub.adminToken}  (random; set HUB_ADMIN_TOKEN to fix it)`);
  if (hub.adminTokenSource === 'demo') lines.push(`  admin token:   ${hub.adminToken}  (demo)`);
  if (hub.demo) {
    lines.push('', 'Demo data:');
    lines.push('  Pairing codes (one-time, new ones on every start):');
    for (const p of hub.demo.pairingCodes) lines.push(`    ${p.branchCode.padEnd(10)} ${p.code}`);
    lines.push('  Sign-ins (staff code / PIN):');
    for (const s of hub.demo.staff) {
      lines.push(
        `    ${s.staffCode.padEnd(10)} ${s.pin.padEnd(8)} ${s.role.padEnd(16)} ${s.branchCode ?? '(all branches)'}  ${s.displayName}`,
      );
    }
  }
  lines.push('', 'Ctrl-C to stop.', '');
  console.log(lines.join('\n'));
}

main().catch((err: unknown) => {
  if (isAppError(err)) {
    console.error(`The hub could not start: ${err.code}: ${err.message}`);
    if (err.details) console.error(JSON.stringify(err.details, null, 2));
  } else {
    console.error('The hub could not start:', err instanceof Error ? err.message : err);
  }
  process.exit(1);
});
