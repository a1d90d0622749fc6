/**
 * `devices.last_seen_at`, for the back office's "last seen": minutes matter there, not seconds, so
 * a device's connects, pulls, pushes and sign-ins write it at most once per LAST_SEEN_INTERVAL_MS
 * (by the hub's clock) instead of on every request. Kept per hub process.
 */
import type { Knex } from 'knex';
import type { Clock } from '../../domain/clock';

export const LAST_SEEN_INTERVAL_MS = 60_000;

export type LastSeenWriter = (deviceId: string) => Promise<void>;

export function createLastSeenWriter(deps: { db: Knex; clock: Clock }): LastSeenWriter {
  const writtenAt = new Map<string, number>();
  return async (deviceId) => {
    const now = deps.clock.now();
    if (now.getTime() - (writtenAt.get(deviceId) ?? -Infinity) < LAST_SEEN_INTERVAL_MS) return;
    writtenAt.set(deviceId, now.getTime());
    await deps.db('devices').where({ id: deviceId }).update({ last_seen_at: now.toISOString() });
  };
}
