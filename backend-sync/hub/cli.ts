/**
 * `npm run hub -- --port 4100 --data ./var/hub --demo [--host 127.0.0.1]`
 * Starts the hub in the foreground; DATABASE_URL (env) selects PostgreSQL. Ctrl-C / SIGTERM close
 * sockets, HTTP and the database before exiting.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { isAppError } from '../domain/errors';
import { createAdmin, parseCreateAdminArgs, readPassword } from './accounts/createAdmin';
import { HUB_CLI_OPTIONS } from './cliOptions';
import { DEMO_ADMIN_TOKEN } from './config';
import { openHubDb } from './db';
import { backupSqlite, restoreSqlite } from './db/backup';
import { raiseGeneration } from './db/epoch';
import { createHub, type Hub } from './server';

const USAGE = `Usage: npm run hub -- [--port 4100] [--host 127.0.0.1] [--data ./var/hub] [--demo] [--log-level info]
  DATABASE_URL=postgres://…  use PostgreSQL instead of the SQLite file in --data
  HUB_ADMIN_TOKEN=…          the operator's bearer token of the admin API (default: ${DEMO_ADMIN_TOKEN} with --demo, else random)
       npm run hub -- create-admin --email … --name … (--brand <id> | --brand-name …)   first back-office account
       npm run hub -- backup --to <file> [--data ./var/hub]      online backup of the SQLite hub, checked
       npm run hub -- restore --from <file> [--data ./var/hub]   hub stopped: put a backup back, consoles re-sync
       npm run hub -- restored                                   after restoring PostgreSQL (docs/deploy.md)`;

/** backup / restore / restored (db/backup.ts); PostgreSQL is backed up with pg_dump (docs/deploy.md). */
async function backupCommand(command: string, argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      to: { type: 'string' },
      from: { type: 'string' },
      data: { type: 'string', default: './var/hub' },
    },
    strict: true,
  });
  const dataDir = path.resolve(values.data);
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const open = () => openHubDb({ databaseUrl, dataDir });
  if (command === 'restored') {
    const db = await open();
    try {
      console.log(`Restore generation is now ${await raiseGeneration(db, 0)}; consoles will re-sync.`);
    } finally {
      await db.destroy();
    }
    return;
  }
  if (databaseUrl)
    throw new Error(`${command} is for the SQLite hub; back up PostgreSQL with pg_dump (docs/deploy.md).`);
  if (command === 'backup') {
    if (!values.to) throw new Error('backup needs --to <file>');
    const epoch = await backupSqlite(dataDir, path.resolve(values.to));
    console.log(
      `Backed up hub ${epoch.id} (generation ${epoch.generation}) to ${values.to}; it opens and checks out.`,
    );
    return;
  }
  if (!values.from) throw new Error('restore needs --from <file>');
  const generation = await restoreSqlite(dataDir, path.resolve(values.from), open);
  console.log(`Restored ${values.from}; restore generation ${generation}. Start the hub: consoles re-sync.`);
}

async function createAdminCommand(argv: string[]): Promise<void> {
  let args: ReturnType<typeof parseCreateAdminArgs>;
  try {
    args = parseCreateAdminArgs(argv);
  } catch (err) {
    // Wrong or missing options: the usage, not "the hub could not start".
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = argv.includes('--help') || argv.includes('-h') ? 0 : 2;
    return;
  }
  const password = await readPassword();
  const db = await openHubDb({
    databaseUrl: process.env.DATABASE_URL || undefined,
    dataDir: path.resolve(args.data),
  });
  try {
    const user = await createAdmin(db, {
      email: args.email,
      name: args.name,
      password,
      ...(args.brand ? { brandId: args.brand } : {}),
      ...(args['brand-name'] ? { brandName: args['brand-name'] } : {}),
    });
    console.log(`Created ${user.role} ${user.email} for brand ${user.brandId}. Sign in at <hub URL>/admin/.`);
  } finally {
    await db.destroy();
  }
}

async function main(): Promise<void> {
  if (process.argv[2] === 'create-admin') return createAdminCommand(process.argv.slice(3));
  if (['backup', 'restore', 'restored'].includes(process.argv[2] ?? ''))
    return backupCommand(process.argv[2]!, process.argv.slice(3));
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
    `  back office:   ${hub.url}/admin/`,
    `  admin API:     ${hub.url}/api  (Authorization: Bearer <admin token>)`,
  ];
  if (!hub.hasAdminAccounts) lines.push('  (no back-office account yet: npm run hub -- create-admin --help)');
  // The admin token is printed to the terminal once, never to the log.
  if (hub.adminTokenSource === 'generated')
    lines.push(`  admin token:   ${hub.adminToken}  (random; set HUB_ADMIN_TOKEN to fix it)`);
  if (hub.adminTokenSource === 'demo') lines.push(`  admin token:   ${hub.adminToken}  (demo)`);
  if (hub.demo) {
    lines.push('', 'Demo data:');
    lines.push('  Pairing codes (one-time, new ones on every start):');
    for (const p of hub.demo.pairingCodes) lines.push(`    ${p.branchCode.padEnd(10)} ${p.code}`);
    lines.push('  Back office (email / password):');
    for (const a of hub.demo.accounts) lines.push(`    ${a.email.padEnd(22)} ${a.password}  ${a.role}`);
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
