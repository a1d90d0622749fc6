/**
 * Bearer-token check for the admin API. Both sides are hashed to equal-length digests first so
 * the timing-safe comparison also hides the token's length.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode } from '../../../domain/errors';
import { sendError } from '../errors';

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

export function bearerTokenMatches(header: string | undefined, adminToken: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match || adminToken.length === 0) return false;
  return timingSafeEqual(digest(match[1]!), digest(adminToken));
}

export function adminAuthHook(adminToken: string) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (bearerTokenMatches(request.headers.authorization, adminToken)) return;
    reply.header('WWW-Authenticate', 'Bearer realm="omo-hub-admin"');
    return sendError(reply, 401, ErrorCode.UNAUTHORIZED, 'The admin API needs a valid bearer token.');
  };
}
