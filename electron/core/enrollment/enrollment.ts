/**
 * Enrollment: this installation's identity at the hub. The hub URL, device id, brand and branch
 * are kept in `meta`; the device token only sealed by the SecretStore (safeStorage in Electron, a
 * key file in the web host), so console.sqlite alone never carries the credential.
 *
 * A hub that moves: `changeHubUrl` follows it once the hub at the new address has proved it holds
 * this device's token hash (hub-enroll.ts verifyHubIdentity). A device that must start over:
 * `leave` forgets the credentials and the pull cursors but keeps the outbox and the brand it
 * belongs to, so the next `enroll` (same brand only while anything waits unsent) pushes what was
 * queued, exactly once (mutation ids are the hub's idempotency keys).
 *
 * A device whose sealed token cannot be opened counts as not enrolled: it enrolls again with the
 * pairing code an administrator issued by "re-enroll" (a new device the hub links to the old one,
 * devices/reenroll.ts), keeping its outbox, whose mutations and sign-ins the hub then accepts.
 */
import type { Knex } from 'knex';
import type { Clock } from '../../../backend-sync/domain/clock';
import { AppError, ErrorCode } from '../../../backend-sync/domain/errors';
import type { EnrollmentInfo } from '../consoleApi/contract';
import type { SecretStore } from '../index';
import { countByStatus } from '../outbox/outbox';
import { getAllMeta, setMeta } from '../store/meta';
import { writeTransaction } from '../store/transaction';
import { normaliseHubUrl, requestEnrollment, verifyHubIdentity } from './hub-enroll';

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

interface UnsentOfBrand {
  brandId: string;
  brandName: string | null;
  queued: number;
}

export interface EnrollInput {
  hubUrl: string;
  pairingCode: string;
  deviceName: string;
}

export function createEnrollment(deps: EnrollmentDeps) {
  let inFlight = false;

  /** The pulled brand row's zone (else what enrollment answered) and English dates' locale. */
  async function brandDisplay(
    fallbackZone: string | undefined,
  ): Promise<{ timeZone: string | null; englishLocale: string | null }> {
    const row = (await deps.db('brand').first('data')) as { data: string } | undefined;
    const pulled = row ? (JSON.parse(row.data) as { timeZone?: unknown; englishLocale?: unknown }) : {};
    return {
      timeZone: typeof pulled.timeZone === 'string' ? pulled.timeZone : (fallbackZone ?? null),
      englishLocale: typeof pulled.englishLocale === 'string' ? pulled.englishLocale : null,
    };
  }

  async function info(): Promise<EnrollmentInfo> {
    const meta = await getAllMeta(deps.db);
    const credentialsUnreadable = Boolean(meta.sealedDeviceToken) && !opens(meta.sealedDeviceToken!);
    const enrolled = Boolean(meta.deviceId && meta.sealedDeviceToken) && !credentialsUnreadable;
    return {
      enrolled,
      credentialsUnreadable,
      hubUrl: meta.hubUrl ?? null,
      deviceId: meta.deviceId ?? null,
      deviceName: meta.deviceName ?? null,
      brandName: meta.brandName ?? null,
      branchName: meta.branchName ?? null,
      // After leaving, the hub it left is the likeliest one to enroll with again.
      suggestedHubUrl: enrolled ? deps.suggestedHubUrl : (meta.hubUrl ?? deps.suggestedHubUrl),
      ...(await brandDisplay(meta.brandTimeZone)),
    };
  }

  function opens(sealed: string): boolean {
    try {
      deps.secretStore.open(sealed);
      return true;
    } catch {
      return false;
    }
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
      const held = await unsentOfBrand();
      const previousDevice = held ? await leftDevice() : null;
      const answer = await requestEnrollment({
        hubUrl,
        pairingCode: input.pairingCode,
        deviceName: input.deviceName,
        ...(held ? { onlyBrandId: held.brandId } : {}),
        ...(previousDevice ? { previousDevice } : {}),
        ...(deps.enrollTimeoutMs ? { timeoutMs: deps.enrollTimeoutMs } : {}),
      }).catch((err: unknown) => {
        throw held && err instanceof AppError && err.code === ErrorCode.ENROLL_OTHER_BRAND
          ? otherBrandRefusal(held)
          : err;
      });
      // A hub older than onlyBrandId enrolls anyway; the changes still must not go to that brand.
      if (held && answer.brand.id !== held.brandId) throw otherBrandRefusal(held);
      await writeTransaction(deps.db, (trx) =>
        setMeta(trx, {
          hubUrl,
          deviceId: answer.deviceId,
          deviceName: input.deviceName.trim(),
          brandId: answer.brand.id,
          brandName: answer.brand.name,
          brandTimeZone: answer.brand.timeZone,
          branchId: answer.branch.id,
          branchName: answer.branch.name,
          sealedDeviceToken: deps.secretStore.seal(answer.deviceToken),
          previousDeviceId: null,
          previousSealedDeviceToken: null,
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

  /**
   * Changes written here belong to the brand this device was enrolled in; a device that left it
   * may enroll elsewhere only once nothing of it waits unsent, so the queued redemptions are not
   * lost to a brand that would reject them. The hub refuses another brand's code before using it
   * up (EnrollRequest.onlyBrandId).
   */
  async function unsentOfBrand(): Promise<UnsentOfBrand | null> {
    const meta = await getAllMeta(deps.db);
    if (!meta.brandId) return null;
    const { queued } = await countByStatus(deps.db);
    return queued === 0 ? null : { brandId: meta.brandId, brandName: meta.brandName ?? null, queued };
  }

  function otherBrandRefusal(held: UnsentOfBrand): AppError {
    return new AppError(
      ErrorCode.ENROLL_OTHER_BRAND,
      `This device still holds ${held.queued} unsent change(s) of ${held.brandName ?? held.brandId}; it cannot enroll in another brand before they are sent.`,
      { queued: held.queued, brandName: held.brandName ?? held.brandId },
    );
  }

  /** The device this console left, opened; null when none is kept or its token cannot be opened. */
  async function leftDevice(): Promise<{ deviceId: string; deviceToken: string } | null> {
    const meta = await getAllMeta(deps.db);
    if (!meta.previousDeviceId || !meta.previousSealedDeviceToken) return null;
    try {
      return {
        deviceId: meta.previousDeviceId,
        deviceToken: deps.secretStore.open(meta.previousSealedDeviceToken),
      };
    } catch {
      return null;
    }
  }

  async function requireEnrolled(): Promise<DeviceCredentials> {
    const creds = await credentials();
    if (!creds) throw new AppError(ErrorCode.NOT_ENROLLED, 'This console is not enrolled yet.');
    return creds;
  }

  /** Follows the hub to `hubUrl` once the hub there has proved it enrolled this device. */
  async function changeHubUrl(hubUrlInput: string): Promise<DeviceCredentials> {
    const creds = await requireEnrolled();
    const hubUrl = normaliseHubUrl(hubUrlInput);
    await verifyHubIdentity({
      hubUrl,
      deviceId: creds.deviceId,
      deviceToken: creds.deviceToken,
      brandId: creds.brandId,
      ...(deps.enrollTimeoutMs ? { timeoutMs: deps.enrollTimeoutMs } : {}),
    });
    await writeTransaction(deps.db, (trx) => setMeta(trx, { hubUrl }));
    return { ...creds, hubUrl };
  }

  /**
   * Forgets this device's credentials so it can enroll again (a new pairing code). The outbox,
   * the till's history and the brand stay; the pull starts over from the new device's view.
   */
  async function leave(): Promise<void> {
    const readable = await requireEnrolled().catch(async (err: unknown) => {
      // Credentials that cannot be unsealed are exactly when leaving is needed.
      if (!(await getAllMeta(deps.db)).deviceId) throw err;
      return null;
    });
    const meta = await getAllMeta(deps.db);
    await writeTransaction(deps.db, async (trx) => {
      await setMeta(trx, {
        // Kept so the next enrollment can prove it (EnrollRequest.previousDevice): what this
        // device queued is then taken from the new one.
        previousDeviceId: readable ? (meta.deviceId ?? null) : null,
        previousSealedDeviceToken: readable ? (meta.sealedDeviceToken ?? null) : null,
        deviceId: null,
        sealedDeviceToken: null,
        enrolledAt: null,
        cursor: '0',
        firstSyncDone: null,
        offlineSince: null,
        lastSyncAt: null,
      });
      await trx('stream_cursors').delete();
    });
  }

  return { info, credentials, enroll, requireEnrolled, changeHubUrl, leave };
}

export type Enrollment = ReturnType<typeof createEnrollment>;
