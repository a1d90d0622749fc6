/**
 * A small TCP balancer for `npm run hub:cluster`: each new connection goes to the next node whose
 * /readyz answers 200 (round robin). TCP, not HTTP: a WebSocket stays on the node it reached, and
 * since the hub speaks WebSocket only, no request of a session ever needs another node — so no
 * sticky sessions. In production nginx or HAProxy does this job (docs/deploy.md).
 */
import net from 'node:net';

export interface BalancerOptions {
  port: number;
  host: string;
  /** http://host:port of each node. */
  nodes: string[];
  /** How often each node's /readyz is asked. */
  checkEveryMs?: number;
}

export interface Balancer {
  url: string;
  /** Nodes taking connections now. */
  ready(): string[];
  close(): Promise<void>;
}

export async function startBalancer(options: BalancerOptions): Promise<Balancer> {
  const ready = new Set<string>();
  let turn = 0;
  const check = async () => {
    await Promise.all(
      options.nodes.map(async (node) => {
        const ok = await fetch(`${node}/readyz`, { signal: AbortSignal.timeout(1000) }).then(
          (res) => res.ok,
          () => false,
        );
        if (ok) ready.add(node);
        else ready.delete(node);
      }),
    );
  };
  await check();
  const timer = setInterval(() => void check(), options.checkEveryMs ?? 1000);
  timer.unref();

  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const candidates = options.nodes.filter((n) => ready.has(n));
    if (candidates.length === 0) return client.destroy();
    const target = new URL(candidates[turn++ % candidates.length]!);
    const upstream = net.connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined); // the other side is closed with it, below
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const address = server.address() as net.AddressInfo;
  return {
    url: `http://${options.host}:${address.port}`,
    ready: () => options.nodes.filter((n) => ready.has(n)),
    close: async () => {
      clearInterval(timer);
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
