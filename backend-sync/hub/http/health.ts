/**
 * GET /healthz: liveness plus a real database round-trip, so a load balancer or the console's
 * "hub reachable" check fails when the database is gone, not only when the process is.
 *
 * GET /readyz: whether this node should be sent devices now — the database and (with several
 * nodes) Redis answer, every migration is applied, and the node is not shutting down. A balancer
 * takes a node out on 503 before it closes its sockets, so devices reconnect to the others.
 */
import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';
import { PROTOCOL_VERSION } from '../../protocol';
import type { ClusterFanOut } from '../cluster/redis';
import { dbKind, migrationsApplied } from '../db';
import { sendError } from './errors';

export interface HealthDeps {
  db: Knex;
  /** Redis fan-out when the hub runs as several nodes. */
  fanOut: ClusterFanOut | null;
  draining(): boolean;
}

export function registerHealthRoutes(app: FastifyInstance, deps: HealthDeps): void {
  const { db } = deps;
  app.get('/healthz', async (request, reply) => {
    try {
      await db.raw('select 1');
    } catch (err) {
      request.log.error({ err }, 'health check: database unreachable');
      return sendError(reply, 503, 'DB_UNAVAILABLE', 'The hub cannot reach its database.');
    }
    return { status: 'ok', db: dbKind(db), protocolVersion: PROTOCOL_VERSION };
  });

  app.get('/readyz', async (request, reply) => {
    if (deps.draining()) return sendError(reply, 503, 'DRAINING', 'The hub is shutting down.');
    try {
      if (!(await migrationsApplied(db)))
        return sendError(reply, 503, 'MIGRATIONS_PENDING', 'The database is not migrated yet.');
    } catch (err) {
      request.log.error({ err }, 'readiness check: database unreachable');
      return sendError(reply, 503, 'DB_UNAVAILABLE', 'The hub cannot reach its database.');
    }
    if (deps.fanOut && !(await deps.fanOut.ping()))
      return sendError(reply, 503, 'REDIS_UNAVAILABLE', 'The hub cannot reach Redis.');
    return { status: 'ready', db: dbKind(db), redis: deps.fanOut !== null };
  });
}
