/**
 * The HTTP half of enrollment: POST {hubUrl}/api/devices/enroll with a pairing code, and the hub's
 * answer (or its refusal, or its absence) turned into an EnrollResponse or an AppError whose code
 * the enrollment screen explains. And the identity check before following the hub to a new
 * address (POST {hubUrl}/api/devices/identify, see docs/protocol.md).
 */
import { randomBytes } from 'node:crypto';
import {
  EnrollResponse,
  IdentifyResponse,
  PROTOCOL_VERSION,
  type EnrollRequest,
  type EnrollResponse as EnrollResponseT,
  type IdentifyRequest,
} from '../../../backend-sync/protocol';
import { AppError, ErrorCode } from '../../../backend-sync/domain/errors';
import { deviceIdentityProof, deviceTokenHash, sameDigest } from '../../../backend-sync/domain/secrets';

export const ENROLL_PATH = '/api/devices/enroll';
export const IDENTIFY_PATH = '/api/devices/identify';

export interface HubEnrollInput {
  hubUrl: string;
  pairingCode: string;
  deviceName: string;
  /** Refuse a pairing code of another brand (EnrollRequest.onlyBrandId). */
  onlyBrandId?: string;
  /** The device this console left with changes unsent (EnrollRequest.previousDevice). */
  previousDevice?: { deviceId: string; deviceToken: string };
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
    ...(input.onlyBrandId ? { onlyBrandId: input.onlyBrandId } : {}),
    ...(input.previousDevice ? { previousDevice: input.previousDevice } : {}),
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

export interface HubIdentityInput {
  hubUrl: string;
  deviceId: string;
  deviceToken: string;
  brandId: string;
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
}

/**
 * Checks that the hub at `hubUrl` is the one that enrolled this device, for this brand: it must
 * answer a fresh nonce with the proof only the holder of this device's token hash can make.
 * Throws HUB_UNREACHABLE (no answer, or not an OMO hub) or HUB_IDENTITY_MISMATCH.
 */
export async function verifyHubIdentity(input: HubIdentityInput): Promise<void> {
  const hubUrl = normaliseHubUrl(input.hubUrl);
  const body: IdentifyRequest = { deviceId: input.deviceId, nonce: randomBytes(24).toString('base64url') };
  let response: Response;
  try {
    response = await (input.fetchImpl ?? fetch)(hubUrl + IDENTIFY_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(input.timeoutMs ?? 10_000),
    });
  } catch (err) {
    throw new AppError(ErrorCode.HUB_UNREACHABLE, `The hub at ${hubUrl} cannot be reached.`, {
      cause: err instanceof Error ? err.name : 'unknown',
    });
  }
  const payload = await response.json().catch(() => null);
  if (response.status === 404 && payload !== null) {
    throw new AppError(ErrorCode.HUB_IDENTITY_MISMATCH, `The hub at ${hubUrl} did not enroll this device.`);
  }
  const parsed = IdentifyResponse.safeParse(payload);
  if (!response.ok || !parsed.success) {
    throw new AppError(ErrorCode.HUB_UNREACHABLE, `The server at ${hubUrl} did not answer like an OMO hub.`);
  }
  const expected = deviceIdentityProof(deviceTokenHash(input.deviceToken), body.nonce);
  const answer = parsed.data;
  if (
    answer.deviceId !== input.deviceId ||
    answer.brandId !== input.brandId ||
    !sameDigest(answer.proof, expected)
  ) {
    throw new AppError(
      ErrorCode.HUB_IDENTITY_MISMATCH,
      `The hub at ${hubUrl} is not the hub this device belongs to.`,
    );
  }
}
