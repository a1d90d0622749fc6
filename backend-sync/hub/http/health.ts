/**
 * GET /healthz: liveness plus a real database round-trip, so a load balancer or the console's
 * "hub reachable" check fails when the database is gone, not only when the process is.
 */
import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';
import { PROTOCOL_VERSION } from '../../protocol';
import { dbKind } from '../db';
import { sendError } from './errors';

export function registerHealthRoute(app: FastifyInstance, db: Knex): void {
  app.get('/healthz', async (request, reply) => {
    try {
      await db.raw('select 1');
    } catch (err) {
      request.log.error({ err }, 'health check: database unreachable');
      return sendError(reply, 503, 'DB_UNAVAILABLE', 'The hub cannot reach its database.');
    }
    return { status: 'ok', db: dbKind(db), protocolVersion: PROTOCOL_VERSION };
  });
}
