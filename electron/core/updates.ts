/**
 * The update policy this till follows, read from what the hub replicates: the device's channel
 * (DeviceRow.updateChannel, set per device in the back office) and the brand's staged-rollout
 * percentage and update window (BrandRow.updates) in the brand's time zone. electron/main decides
 * with it (updatePolicy.ts); the core only reads it.
 */
import type { Knex } from 'knex';
import type { z } from 'zod';
import {
  BrandRow,
  DeviceRow,
  type BrandUpdateSettings,
  type UpdateChannel,
} from '../../backend-sync/protocol';
import { getMeta } from './store/meta';

export interface UpdatePolicy {
  /** null until the device is enrolled (then no rollout includes it). */
  deviceId: string | null;
  channel: UpdateChannel;
  rolloutPercent: number;
  window: BrandUpdateSettings['window'];
  timeZone: string;
}

/** What a till does before its brand says otherwise: every device, 03:00–05:00 Taipei time. */
export const DEFAULT_UPDATE_POLICY: Omit<UpdatePolicy, 'deviceId'> = {
  channel: 'stable',
  rolloutPercent: 100,
  window: { start: '03:00', end: '05:00' },
  timeZone: 'Asia/Taipei',
};

/** One mirrored row (the brand's, or a device by id), or null when absent or not readable. */
async function mirrored<T>(db: Knex, table: 'brand' | 'devices', schema: z.ZodType<T>, id?: string) {
  const query = db(table).first('data');
  const row = (await (id === undefined ? query : query.where({ id }))) as { data: string } | undefined;
  const parsed = row ? schema.safeParse(JSON.parse(row.data)) : null;
  return parsed?.success ? parsed.data : null;
}

export async function readUpdatePolicy(db: Knex): Promise<UpdatePolicy> {
  const deviceId = (await getMeta(db, 'deviceId')) ?? null;
  const brand = await mirrored(db, 'brand', BrandRow);
  const device = deviceId ? await mirrored(db, 'devices', DeviceRow, deviceId) : null;
  return {
    deviceId,
    channel: device?.updateChannel ?? DEFAULT_UPDATE_POLICY.channel,
    rolloutPercent: brand?.updates?.rolloutPercent ?? DEFAULT_UPDATE_POLICY.rolloutPercent,
    window: brand?.updates?.window ?? DEFAULT_UPDATE_POLICY.window,
    timeZone: brand?.timeZone ?? DEFAULT_UPDATE_POLICY.timeZone,
  };
}
