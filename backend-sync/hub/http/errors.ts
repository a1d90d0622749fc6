/**
 * One error shape for every 4xx/5xx the hub's HTTP API answers:
 *   { "error": { "code": "VALIDATION_FAILED", "message": "…", "details"?: {…} } }
 * Codes are machine-readable (backend-sync/domain/errors.ts); messages are for people reading logs
 * or curl output. 500s never carry internals (stack, SQL, paths) — those go to the log only.
 */
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { ZodError } from 'zod';
import { ErrorCode, isAppError } from '../../domain/errors';
import { issuesOf } from '../services/common';

export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

export function errorBody(code: string, message: string, details?: Record<string, unknown>): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

export function sendError(
  reply: FastifyReply,
  status: number,
  code: string,
  message: string,
  details?: Record<string, unknown>,
): FastifyReply {
  return reply.status(status).send(errorBody(code, message, details));
}

/** zod issues → a compact, JSON-safe list for `details.issues`. */

/** HTTP status for an AppError code; anything not listed is a 400 (the client sent something wrong). */
const STATUS_BY_CODE: Record<string, number> = {
  [ErrorCode.VALIDATION_FAILED]: 400,
  [ErrorCode.UNAUTHORIZED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.PAIRING_CODE_INVALID]: 404,
  [ErrorCode.ALREADY_EXISTS]: 409,
  [ErrorCode.BRANCH_CLOSED]: 409,
  [ErrorCode.BRANCH_NOT_EMPTY]: 409,
  [ErrorCode.PAIRING_CODE_USED]: 409,
  [ErrorCode.PROTOCOL_UNSUPPORTED]: 426,
  [ErrorCode.INTERNAL]: 500,
};

export function statusForCode(code: string): number {
  return STATUS_BY_CODE[code] ?? 400;
}

/**
 * Throwing from a route is fine: AppError → its status and code, ZodError → 400 VALIDATION_FAILED,
 * fastify's own 4xx (bad JSON, wrong content type, body too large) → that status with a code,
 * everything else → 500 INTERNAL with a generic message.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | Error, request, reply) => {
    if (error instanceof ZodError) {
      return sendError(reply, 400, ErrorCode.VALIDATION_FAILED, 'The request is not valid.', {
        issues: issuesOf(error),
      });
    }
    if (isAppError(error)) {
      const status = statusForCode(error.code);
      if (status >= 500) request.log.error({ err: error }, 'request failed');
      return sendError(reply, status, error.code, error.message, error.details);
    }
    const fastifyError = error as FastifyError;
    if (fastifyError.validation) {
      return sendError(reply, 400, ErrorCode.VALIDATION_FAILED, fastifyError.message);
    }
    const status = fastifyError.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      // Fastify's own client errors (FST_ERR_CTP_INVALID_JSON_BODY, body too large, …): the
      // message is meant for the client and holds no internals.
      const code = status === 400 || status === 415 ? ErrorCode.VALIDATION_FAILED : httpCode(status);
      return sendError(
        reply,
        status,
        code,
        fastifyError.message,
        fastifyError.code ? { fastifyCode: fastifyError.code } : undefined,
      );
    }
    request.log.error({ err: error }, 'request failed');
    return sendError(reply, 500, ErrorCode.INTERNAL, 'Something went wrong on the hub.');
  });

  app.setNotFoundHandler((request, reply) =>
    sendError(reply, 404, ErrorCode.NOT_FOUND, `No route ${request.method} ${request.url.split('?')[0]}.`),
  );
}

/**
 * Fastify's `frameworkErrors`: what the router refuses before any route or error handler runs
 * (a URL it cannot decode, a path parameter over maxParamLength) gets the same coded shape.
 */
export function frameworkErrors(error: FastifyError, _request: unknown, reply: FastifyReply): void {
  const status = typeof error.statusCode === 'number' && error.statusCode < 500 ? error.statusCode : 400;
  void sendError(reply, status, ErrorCode.VALIDATION_FAILED, error.message, { fastifyCode: error.code });
}

function httpCode(status: number): string {
  if (status === 401) return ErrorCode.UNAUTHORIZED;
  if (status === 403) return ErrorCode.FORBIDDEN;
  if (status === 404) return ErrorCode.NOT_FOUND;
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 429) return 'RATE_LIMITED';
  return ErrorCode.VALIDATION_FAILED;
}
