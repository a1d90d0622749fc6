/**
 * The web host's wire format, one JSON object per WebSocket message:
 *   client → host  `{ id, method, input }`
 *   host → client  `{ id, result: ApiResult }` (one per request) and `{ event, payload }` (pushed)
 * Anything malformed gets an error reply (with the request's id when one can be read), never a crash.
 */
import { z } from 'zod';
import { ErrorCode } from '../../backend-sync/domain/errors';
import type { ApiResult } from '../core/consoleApi/contract';
import type { Dispatch } from '../core/consoleApi/dispatcher';

export const RequestId = z.union([z.number().int(), z.string().min(1).max(100)]);
export type RequestId = z.infer<typeof RequestId>;

const ClientRequest = z.object({
  id: RequestId,
  method: z.string().min(1).max(100),
  input: z.unknown().optional(),
});

export interface ResponseMessage {
  id: RequestId | null;
  result: ApiResult<unknown>;
}
export interface EventMessage {
  event: string;
  payload: unknown;
}

const malformed = (id: RequestId | null, message: string): ResponseMessage => ({
  id,
  result: { ok: false, error: { code: ErrorCode.VALIDATION_FAILED, message } },
});

/** Turns one raw client message into the reply to send back. Never throws. */
export async function answerMessage(raw: string, dispatch: Dispatch): Promise<ResponseMessage> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return malformed(null, 'Message is not valid JSON');
  }
  const request = ClientRequest.safeParse(parsed);
  if (!request.success) {
    const id = RequestId.safeParse((parsed as { id?: unknown } | null)?.id);
    return malformed(id.success ? id.data : null, 'Expected {id, method, input}');
  }
  const { id, method, input } = request.data;
  try {
    return { id, result: await dispatch(method, input) };
  } catch {
    // dispatch turns errors into values; this only guards against a broken core.
    return { id, result: { ok: false, error: { code: ErrorCode.INTERNAL, message: 'Internal error' } } };
  }
}
