/**
 * `npm run hub:cluster -- --nodes 3 [--port 4100] [--host 127.0.0.1] [--data ./var/hub-cluster] [--demo]`
 * Several hub nodes on one PostgreSQL database (DATABASE_URL) and one Redis (REDIS_URL, default
 * redis://127.0.0.1:6379), behind a small TCP balancer on --port; node i listens on port + 1 + i.
 * The first node starts alone (it migrates and, with --demo, seeds), then the others. Ctrl-C /
 * SIGTERM stops the balancer, then each node gracefully.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { keyFromDataDir } from '../channels/secretBox';
import { startBalancer } from './balancer';
import { startHubNodeProcess, stopHubNodeProcess, type HubNodeProcess } from './nodes';

const USAGE = `Usage: npm run hub:cluster -- --nodes 3 [--port 4100] [--host 127.0.0.1] [--data ./var/hub-cluster] [--demo]
  DATABASE_URL=postgres://…   required: the nodes share one PostgreSQL database
  REDIS_URL=redis://…         default redis://127.0.0.1:6379: socket.io events between the nodes
  HUB_SECRET_KEY=…            the key sealing channel secrets, the same on every node (default: a key file in --data)`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      nodes: { type: 'string', default: '3' },
      port: { type: 'string', default: '4100' },
      host: { type: 'string', default: '127.0.0.1' },
      data: { type: 'string', default: './var/hub-cluster' },
      demo: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) return console.log(USAGE);
  const count = Number(values.nodes);
  const port = Number(values.port);
  if (!Number.isInteger(count) || count < 1 || count > 16)
    throw new Error(`--nodes must be 1–16, got "${values.nodes}"`);
  if (!Number.isInteger(port) || port < 1 || port + count > 65535)
    throw new Error(`--port must leave room for ${count} nodes`);
  if (!process.env.DATABASE_URL?.startsWith('postgres'))
    throw new Error('DATABASE_URL must name a PostgreSQL database.');

  const dataDir = path.resolve(values.data);
  const env = {
    REDIS_URL: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
    HUB_SECRET_KEY: process.env.HUB_SECRET_KEY || keyFromDataDir(dataDir),
  };
  const args = (i: number) => [
    '--port',
    String(port + 1 + i),
    '--host',
    values.host,
    '--data',
    path.join(dataDir, `node-${i + 1}`),
    ...(i === 0 && values.demo ? ['--demo'] : []),
  ];
  const nodes: HubNodeProcess[] = [await startHubNodeProcess(args(0), env, { echo: true })];
  nodes.push(
    ...(await Promise.all(
      Array.from({ length: count - 1 }, (_, i) => startHubNodeProcess(args(i + 1), env)),
    )),
  );
  const balancer = await startBalancer({ port, host: values.host, nodes: nodes.map((n) => n.url) });
  console.log(`\nOMO hub cluster: ${count} nodes (${nodes.map((n) => n.url).join(', ')})`);
  console.log(`  balancer:      ${balancer.url}  (consoles enroll and sync here)`);
  console.log(`  ready:         ${balancer.url}/readyz\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the cluster…`);
    void balancer
      .close()
      .then(() => Promise.all(nodes.map(stopHubNodeProcess)))
      .then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  for (const node of nodes) {
    void node.exited.then((code) => {
      if (!stopping) console.error(`hub node ${node.url} exited (${code}); the balancer routes around it`);
    });
  }
}

main().catch((err: unknown) => {
  console.error('The cluster could not start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
