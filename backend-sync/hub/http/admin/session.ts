/**
 * The back office's sign-in, outside the admin auth hook:
 *   POST   /api/admin/session   email + password → session cookie + { user, brand, csrfToken }
 *   GET    /api/admin/session   who is signed in (the page's start) → the same, or 401
 *   DELETE /api/admin/session   sign out (needs the CSRF token like every write)
 * Sign-in attempts are limited per client IP and in flight (signInThrottle.ts): each runs argon2.
 * Sign-in and sign-out are audited here; an account's lock is audited where it is set
 * (accounts/sessions.ts), a staff member's PIN lock in realtime/pinGuard.ts.
 */
import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';
import type { Clock } from '../../../domain/clock';
import { ErrorCode, isAppError } from '../../../domain/errors';
import { resolveSession, signIn, signOut } from '../../accounts/sessions';
import { recordAudit } from '../../audit';
import { RATE_LIMITED } from '../../realtime/pinGuard';
import { toBrandView } from '../../brands/brands';
import { sendError, statusForCode } from '../errors';
import { clearSessionCookie, readSessionCookie, setSessionCookie } from './cookie';
import { ADMIN_PREFIX } from './openapi';
import { createSignInThrottle, type SignInThrottle } from './signInThrottle';

export const SESSION_PATH = `${ADMIN_PREFIX}/session`;

export function registerSessionRoutes(
  app: FastifyInstance,
  deps: { db: Knex; clock: Clock; signInThrottle?: SignInThrottle },
): void {
  const throttle = deps.signInThrottle ?? createSignInThrottle(deps.clock);
  const brandOf = async (brandId: string) =>
    toBrandView(await deps.db('brands').where({ id: brandId }).first());

  app.post(SESSION_PATH, async (request, reply) => {
    let release: (() => void) | undefined;
    try {
      release = throttle.admit(request.ip);
      const session = await signIn(deps.db, deps.clock, request.body);
      await recordAudit(deps.db, {
        brandId: session.user.brandId,
        actor: { kind: 'user', id: session.user.id, label: session.user.email },
        action: 'signIn',
        entity: 'session',
        entityId: null,
        at: deps.clock.now(),
      });
      setSessionCookie(request, reply, session.token, session.expiresAt);
      return { user: session.user, brand: await brandOf(session.user.brandId), csrfToken: session.csrfToken };
    } catch (error) {
      if (!isAppError(error)) throw error;
      if (error.code === RATE_LIMITED)
        reply.header('retry-after', Math.ceil(Number(error.details?.retryAfterMs) / 1000));
      const status =
        error.code === ErrorCode.SIGNIN_LOCKED || error.code === RATE_LIMITED
          ? 429
          : error.code === ErrorCode.SIGNIN_FAILED
            ? 401
            : statusForCode(error.code);
      return sendError(reply, status, error.code, error.message, error.details);
    } finally {
      release?.();
    }
  });

  app.get(SESSION_PATH, async (request, reply) => {
    const token = readSessionCookie(request);
    const session = token ? await resolveSession(deps.db, deps.clock, token) : null;
    if (!session) return sendError(reply, 401, ErrorCode.UNAUTHORIZED, 'Not signed in.');
    return { user: session.user, brand: await brandOf(session.user.brandId), csrfToken: session.csrfToken };
  });

  app.delete(SESSION_PATH, async (request, reply) => {
    const token = readSessionCookie(request);
    const session = token ? await resolveSession(deps.db, deps.clock, token) : null;
    if (!token || !session) {
      clearSessionCookie(request, reply);
      return reply.status(204).send();
    }
    if (request.headers['x-csrf-token'] !== session.csrfToken)
      return sendError(
        reply,
        403,
        'CSRF_INVALID',
        'This write lacks the session’s CSRF token; reload the page.',
      );
    await signOut(deps.db, token);
    await recordAudit(deps.db, {
      brandId: session.user.brandId,
      actor: { kind: 'user', id: session.user.id, label: session.user.email },
      action: 'signOut',
      entity: 'session',
      entityId: null,
      at: deps.clock.now(),
    });
    clearSessionCookie(request, reply);
    return reply.status(204).send();
  });
}
