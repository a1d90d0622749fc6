/**
 * The back office's session cookie: HttpOnly (no script reads it), SameSite=Strict (no other
 * site's page sends it), Path=/api/admin, and Secure unless the hub is reached over plain http on
 * loopback (the demo on one machine), where a Secure cookie would never come back.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'omo_admin_session';

export function readSessionCookie(request: FastifyRequest): string | null {
  const cookies = (request as FastifyRequest & { cookies?: Record<string, string | undefined> }).cookies;
  return cookies?.[SESSION_COOKIE] ?? null;
}

function isPlainLoopback(request: FastifyRequest): boolean {
  if (request.protocol === 'https') return false;
  const host = request.hostname.replace(/:\d+$/, '');
  return host === 'localhost' || host === '127.0.0.1' || host === '[::1]' || host === '::1';
}

const options = (request: FastifyRequest) => ({
  httpOnly: true,
  sameSite: 'strict' as const,
  path: '/api/admin',
  secure: !isPlainLoopback(request),
});

export function setSessionCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  token: string,
  expiresAt: string,
) {
  reply.setCookie(SESSION_COOKIE, token, { ...options(request), expires: new Date(expiresAt) });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply) {
  reply.clearCookie(SESSION_COOKIE, options(request));
}
