/**
 * Admin REST API under /api/admin and the OpenAPI document at /api/openapi.json. The routes
 * themselves are data (routes.ts); this file wires them into fastify with, for every route:
 *   0. the input bounds (http/inputBounds.ts) before anything runs a query: JSON nested deeper than
 *      MAX_JSON_DEPTH, a NUL in the body, or a path or query value that is over-long or holds
 *      control characters get 400 VALIDATION_FAILED — the same on SQLite and PostgreSQL;
 *   1. who is calling (auth.ts: operator token, brand API token, or session cookie + CSRF);
 *   2. whether their role may call it (route.roles) and the object is in their brand;
 *   3. for writes: the route's work, its audit row and its change rows in one transaction, then
 *      a poke to the brand's devices. A refused or failed write leaves nothing, audit included.
 */
import cookie from '@fastify/cookie';
import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { Clock, IdGenerator } from '../../../domain/clock';
import { AppError, ErrorCode, isAppError } from '../../../domain/errors';
import { roleOf, type Principal } from '../../accounts/roles';
import { recordAudit, type AuditActor } from '../../audit';
import { sendError, statusForCode } from '../errors';
import { findNul, jsonDepth, MAX_JSON_DEPTH, safeParam } from '../inputBounds';
import { adminAuthHook, principalOf } from './auth';
import { brandOfParams } from './brandOf';
import { ADMIN_PREFIX, buildOpenApiDocument, OPENAPI_PATH } from './openapi';
import { adminRoutes, type AdminRoute, type RouteContext } from './routes';
import { registerSessionRoutes } from './session';
import type { SignInThrottle } from './signInThrottle';

export interface AdminDeps {
  db: Knex;
  adminToken: string;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  /** Called after a write that recorded changes, so connected devices get a poke. */
  notifyChanges: (brandId: string) => void;
  /** Starts the channel sender (bound late: channels are registered after the admin routes). */
  kickOutbound?: () => void;
  /** Limits sign-in attempts (default: per-IP and concurrency limits on `clock`). */
  signInThrottle?: SignInThrottle;
}

export function actorOf(p: Principal): AuditActor {
  if (p.kind === 'user') return { kind: 'user', id: p.userId, label: p.email };
  if (p.kind === 'api_token') return { kind: 'api_token', id: p.tokenId, label: `token:${p.name}` };
  return { kind: 'operator', id: null, label: 'operator' };
}

const forbidden = (message: string) => new AppError(ErrorCode.FORBIDDEN, message);

/** Refuses a principal whose role the route does not admit, or whose brand is not the object's. */
async function authorize(db: Knex, route: AdminRoute, principal: Principal, params: Record<string, string>) {
  const role = roleOf(principal);
  if (role !== 'operator' && !route.roles.includes(role))
    throw forbidden(`A ${role} may not ${route.summary.charAt(0).toLowerCase()}${route.summary.slice(1)}.`);
  // The operator reaches every brand: nothing to look up (and bad input still answers 400 first).
  if (principal.kind === 'operator') return;
  const brandId = await brandOfParams(db, params);
  if (brandId !== null && brandId !== principal.brandId) throw forbidden('That belongs to another brand.');
}

/** A sales manager sees only their branch's rows in a list (route.branchField names the field). */
function narrow(route: AdminRoute, principal: Principal, result: unknown): unknown {
  if (principal.kind !== 'user' || principal.role !== 'sales_manager' || !route.branchField) return result;
  const field = route.branchField;
  const page = result as { items: Record<string, unknown>[] };
  return { ...page, items: page.items.filter((item) => item[field] === principal.branchId) };
}

export async function registerAdminRoutes(app: FastifyInstance, deps: AdminDeps): Promise<void> {
  const document = buildOpenApiDocument(adminRoutes);
  app.get(OPENAPI_PATH, async () => document);
  await app.register(cookie);
  registerSessionRoutes(app, deps);

  const catalog = { clock: deps.clock, ids: deps.ids };
  await app.register(
    async (scope) => {
      scope.addHook('onRequest', adminAuthHook(deps));
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
            const principal = principalOf(request);
            const params = request.params as Record<string, string>;
            const kicks: (() => void)[] = [];
            try {
              await authorize(deps.db, route, principal, params);
              const context = (db: Knex): RouteContext => ({
                db,
                catalog,
                principal,
                // Deferred to after the commit: the sender must see the queued rows.
                kickOutbound: () => void kicks.push(() => deps.kickOutbound?.()),
                params,
                query: request.query,
                body: request.body,
              });
              if (route.method === 'GET') {
                const outcome = await route.run(context(deps.db));
                if (route.produces === 'text/csv')
                  return reply
                    .status(200)
                    .header('content-type', 'text/csv; charset=utf-8')
                    .header('content-disposition', `attachment; filename="${route.operationId}.csv"`)
                    .send(outcome.result);
                return reply.status(route.status).send(narrow(route, principal, outcome.result));
              }
              const outcome = await deps.db.transaction(async (trx) => {
                const ctx = context(trx);
                const before = route.before ? await route.before(ctx) : null;
                const done = await route.run(ctx);
                const after = done.result as { id?: unknown; brandId?: unknown } | undefined;
                const brandId =
                  done.changedBrandId ?? (typeof after?.brandId === 'string' ? after.brandId : null);
                await recordAudit(trx, {
                  brandId: brandId ?? (await brandOfParams(trx, params)),
                  actor: actorOf(principal),
                  action: route.operationId,
                  entity: route.entity,
                  entityId: typeof after?.id === 'string' ? after.id : (Object.values(params)[0] ?? null),
                  before,
                  after: done.result,
                  at: deps.clock.now(),
                });
                return done;
              });
              for (const kick of kicks) kick();
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
