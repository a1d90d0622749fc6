/**
 * Enrollment: this installation's identity at the hub. The hub URL, device id, brand and branch
 * are kept in `meta`; the device token only sealed by the SecretStore (safeStorage in Electron, a
 * key file in the web host), so console.sqlite alone never carries the credential.
 */
import type { Knex } from 'knex';
import type { Clock } from '../../../backend-sync/domain/clock';
import { AppError, ErrorCode } from '../../../backend-sync/domain/errors';
import type { EnrollmentInfo } from '../api/contract';
import type { SecretStore } from '../index';
import { getAllMeta, setMeta } from '../store/meta';
import { writeTransaction } from '../store/transaction';
import { normaliseHubUrl, requestEnrollment } from './hub-enroll';

export interface DeviceCredentials {
  hubUrl: string;
  deviceId: string;
  deviceToken: string;
  brandId: string;
  branchId: string;
}

export interface EnrollmentDeps {
  db: Knex;
  secretStore: SecretStore;
  clock: Clock;
  suggestedHubUrl: string | null;
  enrollTimeoutMs?: number;
}

export interface EnrollInput {
  hubUrl: string;
  pairingCode: string;
  deviceName: string;
}

export function createEnrollment(deps: EnrollmentDeps) {
  let inFlight = false;

  async function info(): Promise<EnrollmentInfo> {
    const meta = await getAllMeta(deps.db);
    const enrolled = Boolean(meta.deviceId && meta.sealedDeviceToken);
    return {
      enrolled,
      hubUrl: meta.hubUrl ?? null,
      deviceId: meta.deviceId ?? null,
      deviceName: meta.deviceName ?? null,
      brandName: meta.brandName ?? null,
      branchName: meta.branchName ?? null,
      suggestedHubUrl: deps.suggestedHubUrl,
    };
  }

  /** The stored credentials, opened; null when this device has not been enrolled. */
  async function credentials(): Promise<DeviceCredentials | null> {
    const meta = await getAllMeta(deps.db);
    if (!meta.deviceId || !meta.sealedDeviceToken || !meta.hubUrl || !meta.brandId || !meta.branchId)
      return null;
    return {
      hubUrl: meta.hubUrl,
      deviceId: meta.deviceId,
      deviceToken: deps.secretStore.open(meta.sealedDeviceToken),
      brandId: meta.brandId,
      branchId: meta.branchId,
    };
  }

  async function enroll(input: EnrollInput): Promise<DeviceCredentials> {
    if ((await info()).enrolled) {
      throw new AppError(ErrorCode.ALREADY_ENROLLED, 'This console is already enrolled.');
    }
    if (inFlight) throw new AppError(ErrorCode.ALREADY_ENROLLED, 'An enrollment is already in progress.');
    inFlight = true;
    try {
      const hubUrl = normaliseHubUrl(input.hubUrl);
      const answer = await requestEnrollment({
        hubUrl,
        pairingCode: input.pairingCode,
        deviceName: input.deviceName,
        ...(deps.enrollTimeoutMs ? { timeoutMs: deps.enrollTimeoutMs } : {}),
      });
      await writeTransaction(deps.db, (trx) =>
        setMeta(trx, {
          hubUrl,
          deviceId: answer.deviceId,
          deviceName: input.deviceName.trim(),
          brandId: answer.brand.id,
          brandName: answer.brand.name,
          branchId: answer.branch.id,
          branchName: answer.branch.name,
          sealedDeviceToken: deps.secretStore.seal(answer.deviceToken),
          enrolledAt: deps.clock.now().toISOString(),
          cursor: '0',
          firstSyncDone: null,
          offlineSince: null,
          lastSyncAt: null,
        }),
      );
      return {
        hubUrl,
        deviceId: answer.deviceId,
        deviceToken: answer.deviceToken,
        brandId: answer.brand.id,
        branchId: answer.branch.id,
      };
    } finally {
      inFlight = false;
    }
  }

  async function requireEnrolled(): Promise<DeviceCredentials> {
    const creds = await credentials();
    if (!creds) throw new AppError(ErrorCode.NOT_ENROLLED, 'This console is not enrolled yet.');
    return creds;
  }

  return { info, credentials, enroll, requireEnrolled };
}

export type Enrollment = ReturnType<typeof createEnrollment>;
