/**
 * `device:status`: a console's report of its app version and queued mutations, kept on its device
 * row for the back office's device list (not replicated: consoles never see other devices).
 */
import type { Knex } from 'knex';
import { DeviceStatusReport } from '../../protocol';
import type { Clock } from '../../domain/clock';
import { parseInput } from '../services/common';
import type { DeviceContext } from './device';

export async function recordDeviceStatus(
  deps: { db: Knex; clock: Clock },
  device: DeviceContext,
  request: unknown,
): Promise<{ ok: true }> {
  const report = parseInput(DeviceStatusReport, request);
  await deps.db('devices').where({ id: device.id }).update({
    app_version: report.appVersion,
    queued_mutations: report.queuedMutations,
    status_at: deps.clock.now().toISOString(),
  });
  return { ok: true };
}
