/**
 * Re-enrolling a device whose credentials are lost or unreadable (the back office's "re-enroll"):
 * a new device of the same brand, branch and name, with a new one-time pairing code, that names
 * the device it replaces (migration 047). The old device is revoked at once, since its token is
 * of no further use to its till and should be of none to anyone else. The till enrolls with the
 * code keeping its outbox; the hub accepts the old device's mutation ids and sign-ins from the
 * new one (deviceLineage), so nothing queued is lost or applied twice.
 */
import type { Knex } from 'knex';
import { ReenrollDeviceInput, type CreatedDeviceView } from '../services/schemas';
import { alreadyExists, inTransaction, notFound, parseInput, type ServiceDeps } from '../services/common';
import { createDevice } from './devices';

/** A chain of replacements is followed this far at most (it is one link in practice). */
const MAX_LINEAGE = 20;

export async function reenrollDevice(
  db: Knex,
  deps: ServiceDeps,
  brandId: string,
  deviceId: string,
  input: unknown,
): Promise<CreatedDeviceView> {
  const data = parseInput(ReenrollDeviceInput, input);
  return inTransaction(db, async (trx) => {
    const old = (await trx('devices').where({ id: deviceId, brand_id: brandId }).first()) as
      Record<string, unknown> | undefined;
    if (!old) throw notFound('Device', deviceId);
    const successor = await trx('devices').where({ replaces_device_id: deviceId }).first('id');
    if (successor) {
      throw alreadyExists('This device has already been re-enrolled.', { replacedBy: String(successor.id) });
    }
    const created = await createDevice(trx, deps, brandId, {
      branchId: String(old.branch_id),
      name: String(old.name),
      pairingValidDays: data.pairingValidDays,
    });
    await trx('devices').where({ id: created.id }).update({ replaces_device_id: deviceId });
    await trx('devices').where({ id: deviceId }).update({ revoked: true, pairing_code: null });
    return { ...created, replacesDeviceId: deviceId };
  });
}

/** The device and every device it replaced, newest first (realtime/device.ts DeviceContext). */
export async function deviceLineage(db: Knex, deviceId: string): Promise<string[]> {
  const lineage = [deviceId];
  for (let i = 0; i < MAX_LINEAGE; i++) {
    const row = (await db('devices')
      .where({ id: lineage.at(-1) })
      .first('replaces_device_id')) as { replaces_device_id: string | null } | undefined;
    if (!row?.replaces_device_id || lineage.includes(row.replaces_device_id)) break;
    lineage.push(row.replaces_device_id);
  }
  return lineage;
}
