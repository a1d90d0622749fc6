/**
 * What the hub knows of a device's clock (docs/protocol.md, "Time"): the offset its last
 * `sync:ping` measured, and its last mutation's corrected time. A push reads both once, bounds
 * each new mutation's time with them (domain/deviceTime.ts) and stores the last corrected time
 * with its commit.
 */
import type { Knex } from 'knex';
import { PingRequest, type PingResponse } from '../../protocol';
import type { Clock } from '../../domain/clock';
import { boundDeviceTime, measuredOffsetMs, type BoundedTime } from '../../domain/deviceTime';
import { AppError, ErrorCode } from '../../domain/errors';
import type { DeviceContext } from './device';

/** `sync:ping`: measures and keeps the device's offset; answers with the hub's time. */
export async function pingDevice(
  deps: { db: Knex; clock: Clock },
  device: DeviceContext,
  raw: unknown,
): Promise<PingResponse> {
  const parsed = PingRequest.safeParse(raw);
  if (!parsed.success) throw new AppError(ErrorCode.VALIDATION_FAILED, 'ping: expected { deviceTime }.');
  const now = deps.clock.now();
  const clockOffsetMs = measuredOffsetMs(now.getTime(), Date.parse(parsed.data.deviceTime));
  await deps
    .db('devices')
    .where({ id: device.id })
    .update({ clock_offset_ms: clockOffsetMs, clock_checked_at: now.toISOString() });
  return { hubTime: deps.clock.now().toISOString(), clockOffsetMs };
}

/** One push's view of the device's clock: bounds each new mutation in push order. */
export class DeviceClockBounds {
  private changed = false;

  private constructor(
    private readonly offsetMs: number | null,
    private previousMs: number | null,
  ) {}

  static async load(trx: Knex.Transaction, device: DeviceContext): Promise<DeviceClockBounds> {
    const row = (await trx('devices')
      .where({ id: device.id })
      .first('clock_offset_ms', 'last_mutation_time')) as Record<string, unknown> | undefined;
    const offset = row?.clock_offset_ms;
    const previous = row?.last_mutation_time;
    return new DeviceClockBounds(
      offset === null || offset === undefined ? null : Number(offset),
      typeof previous === 'string' ? Date.parse(previous) : null,
    );
  }

  /** The mutation's bounded time. It becomes the floor for the next ones only once `accept`ed. */
  bound(deviceTime: string, receivedAt: Date): BoundedTime {
    return boundDeviceTime(Date.parse(deviceTime), {
      receivedAtMs: receivedAt.getTime(),
      offsetMs: this.offsetMs,
      previousMs: this.previousMs,
    });
  }

  /**
   * The mutation was taken (applied or a conflict): the device's next ones may not be earlier. A
   * refused one (a forged person, an unknown sign-in) never moves the floor of the real ones.
   */
  accept(bounded: BoundedTime): void {
    this.previousMs = bounded.correctedMs;
    this.changed = true;
  }

  /** Stores the last corrected time, in the push's transaction. */
  async save(trx: Knex.Transaction, device: DeviceContext): Promise<void> {
    if (!this.changed || this.previousMs === null) return;
    await trx('devices')
      .where({ id: device.id })
      .update({ last_mutation_time: new Date(this.previousMs).toISOString() });
  }
}
