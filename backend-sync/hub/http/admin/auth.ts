/**
 * Who is calling the admin API. Three ways in, tried in this order:
 *   - `Authorization: Bearer <operator token>` (HUB_ADMIN_TOKEN): the hub's operator, every brand;
 *   - `Authorization: Bearer omo_…`: a brand's API token (acts as that brand's admin, revocable);
 *   - the back office's session cookie, whose writes must also carry the session's CSRF token in
 *     `x-csrf-token` (the cookie is SameSite=Strict too; the header is the second lock).
 * The operator token is compared after hashing both sides to equal-length digests, so the
 * timing-safe comparison also hides the token's length.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Knex } from 'knex';
import type { Clock } from '../../../domain/clock';
import { ErrorCode } from '../../../domain/errors';
import { resolveApiToken } from '../../accounts/apiTokens';
import type { Principal } from '../../accounts/roles';
import { resolveSession } from '../../accounts/sessions';
import { sendError } from '../errors';
import { readSessionCookie } from './cookie';

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();
const same = (a: string, b: string): boolean => timingSafeEqual(digest(a), digest(b));

export function bearerOf(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match ? match[1]! : null;
}

export interface AuthDeps {
  db: Knex;
  clock: Clock;
  adminToken: string;
}

const principals = new WeakMap<FastifyRequest, Principal>();

/** The principal the onRequest hook found (every admin route runs after it). */
export function principalOf(request: FastifyRequest): Principal {
  const p = principals.get(request);
  if (!p) throw new Error('admin route ran without the auth hook');
  return p;
}

const isWrite = (method: string): boolean => !['GET', 'HEAD', 'OPTIONS'].includes(method);

export function adminAuthHook(deps: AuthDeps) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const bearer = bearerOf(request.headers.authorization);
    if (bearer !== null) {
      const principal: Principal | null =
        deps.adminToken.length > 0 && same(bearer, deps.adminToken)
          ? { kind: 'operator' }
          : await resolveApiToken(deps.db, deps.clock, bearer);
      if (principal) {
        principals.set(request, principal);
        return;
      }
    } else {
      const cookie = readSessionCookie(request);
      const session = cookie ? await resolveSession(deps.db, deps.clock, cookie) : null;
      if (session) {
        const sent = request.headers['x-csrf-token'];
        if (isWrite(request.method) && (typeof sent !== 'string' || !same(sent, session.csrfToken))) {
          return sendError(
            reply,
            403,
            'CSRF_INVALID',
            'This write lacks the session’s CSRF token; reload the page.',
          );
        }
        principals.set(request, session.principal);
        return;
      }
    }
    reply.header('WWW-Authenticate', 'Bearer realm="omo-hub-admin"');
    return sendError(reply, 401, ErrorCode.UNAUTHORIZED, 'Sign in, or send a valid bearer token.');
  };
}
