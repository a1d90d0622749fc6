/**
 * Admin REST API under /api/admin (bearer token) and the OpenAPI document at /api/openapi.json.
 * The routes themselves are data (routes.ts); this file wires them into fastify, and holds every
 * request to the input bounds (http/inputBounds.ts) before a route runs a query: JSON nested
 * deeper than MAX_JSON_DEPTH, a NUL in the body, or a path or query value that is over-long or
 * holds control characters get 400 VALIDATION_FAILED — the same on SQLite and PostgreSQL.
 */
import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { Clock, IdGenerator } from '../../../domain/clock';
import { ErrorCode, isAppError } from '../../../domain/errors';
import { sendError, statusForCode } from '../errors';
import { findNul, jsonDepth, MAX_JSON_DEPTH, safeParam } from '../inputBounds';
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
      const parseJson = scope.getDefaultJsonParser('error', 'error');
      scope.removeContentTypeParser('application/json');
      scope.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
        if (jsonDepth(body as string) > MAX_JSON_DEPTH) {
          const error = Object.assign(new Error(`The body is nested deeper than ${MAX_JSON_DEPTH} levels.`), {
            statusCode: 400,
          });
          done(error, undefined);
          return;
        }
        parseJson(request, body as string, done);
      });
      for (const route of adminRoutes) {
        scope.route({
          method: route.method,
          url: route.path,
          handler: async (request, reply) => {
            const problem = inputProblem(request.params, request.query, request.body);
            if (problem) {
              return sendError(reply, 400, ErrorCode.VALIDATION_FAILED, 'The request is not valid.', {
                issues: [problem],
              });
            }
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

/** The first path or query value, or body string, no query may see; null when all are fine. */
function inputProblem(
  params: unknown,
  query: unknown,
  body: unknown,
): { path: string; message: string } | null {
  for (const [where, values] of [
    ['params', params],
    ['query', query],
  ] as const) {
    for (const [name, value] of Object.entries((values ?? {}) as Record<string, unknown>)) {
      for (const v of Array.isArray(value) ? value : [value]) {
        if (typeof v === 'string' && !safeParam(v))
          return { path: `${where}.${name}`, message: 'too long, or holds control characters' };
      }
    }
  }
  const nul = findNul(body);
  return nul === null ? null : { path: `body.${nul}`, message: 'holds a NUL character' };
}
