/**
 * Turns the handler table into one `dispatch(method, rawInput)` that both transports use:
 * unknown method → error, input validated against the contract, output validated too, thrown
 * AppErrors become `{ ok: false, error }` values. Nothing here knows about Electron or sockets.
 */
import { z } from 'zod';
import { AppError, ErrorCode } from '../../../backend-sync/domain/errors';
import { consoleApi, isConsoleMethod, type ApiResult, type ConsoleHandlers } from './contract';

export type Dispatch = (method: unknown, input: unknown) => Promise<ApiResult<unknown>>;

export function createDispatcher(
  handlers: ConsoleHandlers,
  onInternalError: (method: string, err: unknown) => void = () => {},
): Dispatch {
  return async (method, input) => {
    if (!isConsoleMethod(method)) {
      return fail(ErrorCode.NOT_FOUND, `Unknown ConsoleApi method: ${String(method)}`);
    }
    const spec = consoleApi[method];
    const parsed = spec.input.safeParse(input ?? undefined);
    if (!parsed.success) {
      return fail(ErrorCode.VALIDATION_FAILED, z.prettifyError(parsed.error), {
        issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      });
    }
    try {
      const handler = handlers[method] as (i: unknown) => Promise<unknown>;
      const value = spec.output.parse(await handler(parsed.data));
      return { ok: true, value };
    } catch (err) {
      if (err instanceof AppError) return fail(err.code, err.message, err.details);
      onInternalError(method, err);
      return fail(ErrorCode.INTERNAL, 'Internal error');
    }
  };
}

function fail(code: string, message: string, details?: Record<string, unknown>): ApiResult<never> {
  return { ok: false, error: details ? { code, message, details } : { code, message } };
}
