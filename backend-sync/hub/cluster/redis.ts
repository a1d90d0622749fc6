/**
 * Fan-out between hub nodes through Redis: the socket.io Redis adapter, so a poke emitted to a
 * brand's room on one node reaches the devices connected to every node.
 *
 * WHY Redis rather than the socket.io PostgreSQL adapter: the PostgreSQL adapter rides on
 * LISTEN/NOTIFY, whose notifications go through one queue for the whole database and hold a
 * connection per node, and every poke of a busy opening hour would add to the database's load; Redis
 * pub/sub is built for this and is the adapter socket.io maintains first. A one-node hub (SQLite,
 * or PostgreSQL without REDIS_URL) needs neither.
 */
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import type { Server as SocketServer } from 'socket.io';

export interface ClusterFanOut {
  /** A connected node-redis client other shared state may use (the send rates). */
  client: unknown;
  /** Reachable now (for /readyz). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export async function attachRedisAdapter(io: SocketServer, redisUrl: string): Promise<ClusterFanOut> {
  const pub = createClient({ url: redisUrl });
  const sub = pub.duplicate();
  // A dropped connection is retried by the client; without a listener the error would crash us.
  const ignore = () => undefined;
  pub.on('error', ignore);
  sub.on('error', ignore);
  try {
    await Promise.all([pub.connect(), sub.connect()]);
  } catch (err) {
    await Promise.allSettled([pub.destroy(), sub.destroy()]);
    throw err;
  }
  io.adapter(createAdapter(pub, sub));
  return {
    client: pub,
    ping: async () => {
      try {
        return (await pub.ping()) === 'PONG';
      } catch {
        return false;
      }
    },
    close: async () => {
      await Promise.allSettled([pub.quit(), sub.quit()]);
    },
  };
}
