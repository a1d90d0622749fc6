/**
 * Devices: a console installation for one branch, enrolled once with a one-time pairing code.
 * The code is shown once (on creation); listings show only whether it is still usable. The
 * device token is made at enrollment (hub-core) and never appears here.
 */
import type { Knex } from 'knex';
import { requireBrand } from '../brands/brands';
import { requireBranch } from '../brands/branches';
import { generatePairingCode } from '../readableCodes';
import { recordChange } from '../db/changes';
import { toDeviceRow } from '../db/rows';
import {
  CreateDeviceInput,
  UpdateDeviceInput,
  type CreatedDeviceView,
  type DeviceView,
} from '../services/schemas';
import { cryptoRandom, inTransaction, notFound, parseInput, type ServiceDeps } from '../services/common';

const DAY_MS = 86_400_000;

const bool = (v: unknown): boolean => v === true || v === 1 || v === '1';
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export function toDeviceView(row: Record<string, unknown>, now: Date): DeviceView {
  const expiresAt = strOrNull(row.pairing_expires_at);
  const state = bool(row.revoked)
    ? 'revoked'
    : row.enrolled_at
      ? 'enrolled'
      : row.pairing_code && expiresAt !== null && Date.parse(expiresAt) > now.getTime()
        ? 'unused'
        : 'expired';
  return {
    id: String(row.id),
    brandId: String(row.brand_id),
    branchId: String(row.branch_id),
    name: String(row.name),
    state,
    pairingExpiresAt: expiresAt,
    enrolledAt: strOrNull(row.enrolled_at),
    lastSeenAt: strOrNull(row.last_seen_at),
    clockOffsetMs:
      row.clock_offset_ms === null || row.clock_offset_ms === undefined ? null : Number(row.clock_offset_ms),
    updateChannel: row.update_channel === 'beta' ? 'beta' : 'stable',
    appVersion: strOrNull(row.app_version),
    queuedMutations:
      row.queued_mutations === null || row.queued_mutations === undefined
        ? null
        : Number(row.queued_mutations),
    statusAt: strOrNull(row.status_at),
    createdAt: String(row.created_at),
    replacesDeviceId: strOrNull(row.replaces_device_id),
  };
}

/** Options for the demo seed, which needs fixed, documented codes. */
export interface DeviceCreateOptions {
  pairingCode?: string;
}

export async function createDevice(
  db: Knex,
  deps: ServiceDeps,
  brandId: string,
  input: unknown,
  options: DeviceCreateOptions = {},
): Promise<CreatedDeviceView> {
  const data = parseInput(CreateDeviceInput, input);
  const now = deps.clock.now();
  return inTransaction(db, async (trx) => {
    await requireBrand(trx, brandId);
    await requireBranch(trx, brandId, data.branchId);
    const pairingCode = options.pairingCode ?? (await freshPairingCode(trx, deps));
    const row = {
      id: deps.ids(),
      brand_id: brandId,
      branch_id: data.branchId,
      name: data.name,
      pairing_code: pairingCode,
      pairing_expires_at: new Date(now.getTime() + data.pairingValidDays * DAY_MS).toISOString(),
      token_hash: null,
      enrolled_at: null,
      last_seen_at: null,
      revoked: false,
      created_at: now.toISOString(),
    };
    // Devices are not replicated (no change row): consoles never see other devices.
    await trx('devices').insert(row);
    return { ...toDeviceView(row, now), pairingCode };
  });
}

/** 32^8 codes make a clash unlikely; the UNIQUE column makes it impossible, a retry makes it moot. */
async function freshPairingCode(trx: Knex.Transaction, deps: ServiceDeps): Promise<string> {
  for (;;) {
    const code = generatePairingCode(deps.random ?? cryptoRandom);
    if (!(await trx('devices').where({ pairing_code: code }).first())) return code;
  }
}

export async function listDevices(db: Knex, deps: ServiceDeps, brandId: string): Promise<DeviceView[]> {
  await requireBrand(db, brandId);
  const now = deps.clock.now();
  const rows = await db('devices')
    .where({ brand_id: brandId })
    .orderBy([{ column: 'created_at' }, { column: 'id' }]);
  return rows.map((row) => toDeviceView(row, now));
}

/**
 * A device's own settings from the back office (its update channel). The device row is
 * replicated brand-wide, so the change reaches the till at its next pull.
 */
export async function updateDevice(
  db: Knex,
  deps: ServiceDeps,
  brandId: string,
  deviceId: string,
  input: unknown,
): Promise<DeviceView> {
  const data = parseInput(UpdateDeviceInput, input);
  return inTransaction(db, async (trx) => {
    await requireBrand(trx, brandId);
    const updated = await trx('devices')
      .where({ id: deviceId, brand_id: brandId })
      .update({ update_channel: data.updateChannel });
    if (updated === 0) throw notFound('Device', deviceId);
    const row = (await trx('devices').where({ id: deviceId }).first()) as Record<string, unknown>;
    await recordChange(trx, {
      brandId,
      scopes: ['brand'],
      entity: 'device',
      id: deviceId,
      op: 'upsert',
      data: toDeviceRow(row),
      at: deps.clock.now(),
    });
    return toDeviceView(row, deps.clock.now());
  });
}

/**
 * Revokes a device: the hub refuses its next connection, pull and push (realtime/auth.ts and
 * ensureStillAllowed), and an unused pairing code stops working. Revoking twice changes nothing.
 */
export async function revokeDevice(db: Knex, deps: ServiceDeps, deviceId: string): Promise<DeviceView> {
  const now = deps.clock.now();
  return inTransaction(db, async (trx) => {
    const row = await trx('devices').where({ id: deviceId }).first();
    if (!row) throw notFound('Device', deviceId);
    const patch = { revoked: true, pairing_code: null };
    await trx('devices').where({ id: deviceId }).update(patch);
    return toDeviceView({ ...row, ...patch }, now);
  });
}
