/**
 * The HTTP half of enrollment: POST {hubUrl}/api/devices/enroll with a pairing code, and the hub's
 * answer (or its refusal, or its absence) turned into an EnrollResponse or an AppError whose code
 * the enrollment screen explains.
 */
import {
  EnrollResponse,
  PROTOCOL_VERSION,
  type EnrollRequest,
  type EnrollResponse as EnrollResponseT,
} from '../../../backend-sync/protocol';
import { AppError, ErrorCode } from '../../../backend-sync/domain/errors';

export const ENROLL_PATH = '/api/devices/enroll';

export interface HubEnrollInput {
  hubUrl: string;
  pairingCode: string;
  deviceName: string;
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
}

/** Status codes the hub uses for enrollment refusals, for when its body carries no code. */
const CODE_BY_STATUS: Record<number, string> = {
  404: ErrorCode.PAIRING_CODE_INVALID,
  409: ErrorCode.PAIRING_CODE_USED,
  426: ErrorCode.PROTOCOL_UNSUPPORTED,
};

export const normaliseHubUrl = (hubUrl: string): string => hubUrl.trim().replace(/\/+$/, '');

export async function requestEnrollment(input: HubEnrollInput): Promise<EnrollResponseT> {
  const body: EnrollRequest = {
    pairingCode: input.pairingCode.trim().toUpperCase(),
    deviceName: input.deviceName.trim(),
    protocolVersion: PROTOCOL_VERSION,
  };
  const url = normaliseHubUrl(input.hubUrl) + ENROLL_PATH;
  let response: Response;
  try {
    response = await (input.fetchImpl ?? fetch)(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(input.timeoutMs ?? 10_000),
    });
  } catch (err) {
    throw new AppError(
      ErrorCode.HUB_UNREACHABLE,
      `The hub at ${normaliseHubUrl(input.hubUrl)} cannot be reached.`,
      {
        cause: err instanceof Error ? err.name : 'unknown',
      },
    );
  }
  const payload = await response.json().catch(() => null);
  if (!response.ok) throw refusalFrom(response.status, payload);
  const parsed = EnrollResponse.safeParse(payload);
  if (!parsed.success) {
    throw new AppError(
      ErrorCode.HUB_UNREACHABLE,
      'The server at this address did not answer like an OMO hub.',
    );
  }
  return parsed.data;
}

function refusalFrom(status: number, payload: unknown): AppError {
  const error = (payload as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)
    ?.error;
  const hubCode = typeof error?.code === 'string' ? error.code : undefined;
  const message = typeof error?.message === 'string' ? error.message : `The hub answered ${status}.`;
  const details =
    error?.details && typeof error.details === 'object'
      ? (error.details as Record<string, unknown>)
      : undefined;
  // The status decides for the three refusals the screen explains; otherwise trust the hub's code.
  const code =
    CODE_BY_STATUS[status] ??
    hubCode ??
    (status >= 500 ? ErrorCode.HUB_UNREACHABLE : ErrorCode.VALIDATION_FAILED);
  return new AppError(code, message, details);
}
