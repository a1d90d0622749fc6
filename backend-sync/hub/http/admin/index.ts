/**
 * Admin REST API under /api/admin (bearer token) and the OpenAPI document at /api/openapi.json.
 * The routes themselves are data (routes.ts); this file wires them into fastify.
 */
import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { Clock, IdGenerator } from '../../../domain/clock';
import { isAppError } from '../../../domain/errors';
import { sendError, statusForCode } from '../errors';
import { adminAuthHook } from './auth';
import { ADMIN_PREFIX, buildOpenApiDocument, OPENAPI_PATH } from './openapi';
import { adminRoutes } from './routes';

export interface AdminDeps {
  db: Knex;
  adminToken: string;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  /** Called after a write that recorded changes, so connected devices get a poke. */
  notifyChanges: (brandId: string) => void;
}

export async function registerAdminRoutes(app: FastifyInstance, deps: AdminDeps): Promise<void> {
  const document = buildOpenApiDocument(adminRoutes);
  app.get(OPENAPI_PATH, async () => document);

  const catalog = { clock: deps.clock, ids: deps.ids };
  await app.register(
    async (scope) => {
      scope.addHook('onRequest', adminAuthHook(deps.adminToken));
      for (const route of adminRoutes) {
        scope.route({
          method: route.method,
          url: route.path,
          handler: async (request, reply) => {
            try {
              const outcome = await route.run({
                db: deps.db,
                catalog,
                params: request.params as Record<string, string>,
                query: request.query,
                body: request.body,
              });
              if (outcome.changedBrandId) {
                // Never the body: it may hold a PIN or a verification code.
                request.log.info({ op: route.operationId, brandId: outcome.changedBrandId }, 'admin write');
                deps.notifyChanges(outcome.changedBrandId);
              }
              return reply.status(route.status).send(outcome.result);
            } catch (error) {
              if (!isAppError(error)) throw error;
              return sendError(reply, statusForCode(error.code), error.code, error.message, error.details);
            }
          },
        });
      }
    },
    { prefix: ADMIN_PREFIX },
  );
}
