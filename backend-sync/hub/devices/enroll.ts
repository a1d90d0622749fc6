/**
 * POST /api/devices/enroll: a console trades a one-time pairing code for its device credentials.
 *
 * The code is cleared in the same transaction that stores the token hash, and the UPDATE only
 * matches while the code is still on the row, so two simultaneous enrolls with one code cannot
 * both succeed (on PostgreSQL the loser waits on the row lock, then finds the code gone). A used
 * code is remembered only as a sha256 in a `device.enrolled` event, so a second try can be told
 * "already used" (409) rather than "unknown" (404) without keeping the code itself. The device
 * takes the name typed at enrollment (the till's header, its redemptions and history show it).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';
import {
  EnrollRequest,
  MIN_SUPPORTED_PROTOCOL_VERSION,
  PROTOCOL_VERSION,
  type EnrollResponse,
} from '../../protocol';
import type { Clock } from '../../domain/clock';
import { deviceTokenHash } from '../../domain/secrets';
import { AppError, ErrorCode } from '../../domain/errors';
import { normalizePairingCode } from '../readableCodes';
import { dbKind } from '../db';
import { recordChange } from '../db/changes';
import { toDeviceRow } from '../db/rows';

export const ENROLL_PATH = '/api/devices/enroll';

const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

/** What the hub stores for a device token: its sha256, hex. The token itself is never stored. */
export const hashDeviceToken = deviceTokenHash;

/** Constant-time check of a presented token against the stored hash. */
export function deviceTokenMatches(token: string, storedHash: string | null | undefined): boolean {
  if (!storedHash) return false;
  const actual = Buffer.from(hashDeviceToken(token), 'hex');
  const expected = Buffer.from(storedHash, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export const newDeviceToken = (): string => randomBytes(32).toString('base64url');

export const isSupportedProtocolVersion = (v: number): boolean =>
  v >= MIN_SUPPORTED_PROTOCOL_VERSION && v <= PROTOCOL_VERSION;

/**
 * The device a console was before it left (EnrollRequest.previousDevice), when its token proves
 * it and it is of the same brand: the new device replaces it (migration 047), so what the console
 * queued under it is taken (DeviceContext.lineage). Anything else is ignored: the enrollment
 * itself does not depend on it.
 */
async function provenPreviousDevice(
  trx: Knex.Transaction,
  previous: EnrollRequest['previousDevice'],
  brandId: string,
  newDeviceId: string,
): Promise<string | null> {
  if (!previous || previous.deviceId === newDeviceId) return null;
  const row = (await trx('devices').where({ id: previous.deviceId, brand_id: brandId }).first()) as
    Record<string, unknown> | undefined;
  if (!row || !deviceTokenMatches(previous.deviceToken, row.token_hash as string | null)) return null;
  return String(row.id);
}

export async function enrollDevice(db: Knex, clock: Clock, input: EnrollRequest): Promise<EnrollResponse> {
  if (!isSupportedProtocolVersion(input.protocolVersion)) {
    throw new AppError(
      ErrorCode.PROTOCOL_UNSUPPORTED,
      `This hub speaks sync protocol ${MIN_SUPPORTED_PROTOCOL_VERSION}–${PROTOCOL_VERSION}; the console speaks ${input.protocolVersion}. Update the console.`,
      { hubVersion: PROTOCOL_VERSION, minSupported: MIN_SUPPORTED_PROTOCOL_VERSION },
    );
  }
  const now = clock.now();
  const token = newDeviceToken();
  // People type pairing codes with or without the hyphen, with spaces, in lower case.
  const pairingCode = normalizePairingCode(input.pairingCode);
  const codeHash = sha256(pairingCode);

  const device = await db.transaction(async (trx) => {
    const query = trx('devices').where({ pairing_code: pairingCode }).first();
    const row = (await (dbKind(db) === 'postgres' ? query.forUpdate() : query)) as
      Record<string, unknown> | undefined;
    if (!row) {
      const used = await trx('events')
        .where({ kind: 'device.enrolled' })
        .andWhereLike('data', `%${codeHash}%`)
        .first();
      if (used) throw new AppError(ErrorCode.PAIRING_CODE_USED, 'This pairing code has already been used.');
      throw new AppError(ErrorCode.PAIRING_CODE_INVALID, 'This pairing code does not exist.');
    }
    if (row.revoked === true || row.revoked === 1) {
      throw new AppError(
        ErrorCode.PAIRING_CODE_INVALID,
        'The device of this pairing code has been revoked.',
        {
          reason: 'revoked',
        },
      );
    }
    if (row.pairing_expires_at && new Date(String(row.pairing_expires_at)).getTime() <= now.getTime()) {
      throw new AppError(ErrorCode.PAIRING_CODE_INVALID, 'This pairing code has expired.', {
        reason: 'expired',
      });
    }
    if (input.onlyBrandId !== undefined && String(row.brand_id) !== input.onlyBrandId) {
      // Checked before the code is used up: it stays good for a device of its own brand.
      throw new AppError(
        ErrorCode.ENROLL_OTHER_BRAND,
        'This pairing code is of another brand than the one this device still has unsent changes for.',
      );
    }
    await announcingAlone(trx, String(row.brand_id));
    const replaces = await provenPreviousDevice(
      trx,
      input.previousDevice,
      String(row.brand_id),
      String(row.id),
    );
    if (replaces) await trx('devices').where({ id: replaces }).update({ revoked: true, pairing_code: null });
    const updated = await trx('devices')
      .where({ id: row.id, pairing_code: pairingCode })
      .update({
        pairing_code: null,
        pairing_expires_at: null,
        token_hash: hashDeviceToken(token),
        name: input.deviceName,
        enrolled_at: now.toISOString(),
        last_seen_at: now.toISOString(),
        ...(replaces ? { replaces_device_id: replaces } : {}),
      });
    if (updated !== 1)
      throw new AppError(ErrorCode.PAIRING_CODE_USED, 'This pairing code has already been used.');
    await trx('events').insert({
      brand_id: row.brand_id,
      kind: 'device.enrolled',
      device_id: row.id,
      staff_id: null,
      data: JSON.stringify({ pairingCodeSha256: codeHash, deviceName: input.deviceName }),
      at: now.toISOString(),
    });
    const enrolled: Record<string, unknown> = { ...row, name: input.deviceName };
    // Its new name goes out even if the device was announced before under the name the back office gave it.
    await recordChange(trx, {
      brandId: String(row.brand_id),
      scopes: ['brand'],
      entity: 'device',
      id: String(row.id),
      op: 'upsert',
      data: toDeviceRow(enrolled),
      at: now,
    });
    await replicateUnannouncedDevices(trx, String(row.brand_id), now);
    return enrolled;
  });

  const brand = await db('brands').where({ id: device.brand_id }).first();
  const branch = await db('branches').where({ id: device.branch_id }).first();
  return {
    deviceId: String(device.id),
    deviceToken: token,
    brand: { id: String(brand.id), name: String(brand.name), timeZone: String(brand.time_zone) },
    branch: { id: String(branch.id), name: String(branch.name) },
    protocolVersion: PROTOCOL_VERSION,
    hubTime: now.toISOString(),
  };
}

/**
 * Enrollments of one brand take turns from here to their commit (PostgreSQL; SQLite has one
 * writer). Concurrently, each saw the others' devices unannounced and announced them all again,
 * and could announce a device under its catalog name after that device's own enrollment had
 * recorded the typed one.
 */
async function announcingAlone(trx: Knex.Transaction, brandId: string): Promise<void> {
  if (dbKind(trx) !== 'postgres') return;
  await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`announce-devices:${brandId}`]);
}

/**
 * Device names are replicated brand-wide (entity `device`) so a till can say which device redeemed
 * a claim. The admin services create devices without a change, so the hub announces them here:
 * every device of the brand that has no `device` change yet — the one enrolling, and any made
 * elsewhere (the demo's seed-only till) — gets one. A device announced already is left alone,
 * so this stays correct if device creation starts recording its own change. Enrollments of one
 * brand run this one at a time (announcingAlone), so each device is announced once however many
 * enroll at once.
 */
export async function replicateUnannouncedDevices(trx: Knex.Transaction, brandId: string, at: Date) {
  const devices = (await trx('devices')
    .where({ brand_id: brandId })
    .whereNotExists(function announced() {
      this.select('seq')
        .from('changes')
        .where({ 'changes.brand_id': brandId, 'changes.entity': 'device' })
        .whereRaw('changes.entity_id = devices.id');
    })
    .orderBy('id')) as Record<string, unknown>[];
  for (const device of devices) {
    const data = toDeviceRow(device);
    await recordChange(trx, {
      brandId,
      scopes: ['brand'],
      entity: 'device',
      id: data.id,
      op: 'upsert',
      data,
      at,
    });
  }
}

export function registerEnrollRoute(app: FastifyInstance, deps: { db: Knex; clock: Clock }): void {
  app.post(ENROLL_PATH, async (request) => {
    // ZodError → 400 VALIDATION_FAILED and AppError → its status, both via the shared error handler.
    const input = EnrollRequest.parse(request.body);
    const result = await enrollDevice(deps.db, deps.clock, input);
    request.log.info({ deviceId: result.deviceId, branchId: result.branch.id }, 'device enrolled');
    return result;
  });
}
