/**
 * How the hub bounds the time a device says a mutation happened (docs/protocol.md, "Time").
 * Pure: the hub passes what it knows.
 *
 * - The device's last known offset (hub time minus the device's clock, measured at its last
 *   `sync:ping`) is added when it is larger than the tolerance (smaller is measurement noise).
 * - Upper bound: the hub's receipt. Nothing happened after the hub received it.
 * - Lower bound: the device's previous mutation's corrected time. A device makes its mutations
 *   one after the other and pushes them in that order, so their times only move forward.
 * - The corrected time is the shifted time clamped to those bounds; when it differs from what the
 *   device said by more than the tolerance, the mutation is applied but flagged for a manager.
 *
 * Limits: within the bounds, a device's time is believed. A device that lies consistently (a
 * clock set back before its first ping, never corrected) is caught only by the bounds.
 */
import type { TimeFlag } from '../protocol';

/** Differences below this are measurement noise (round trips, a console's estimate's error). */
export const DEVICE_TIME_TOLERANCE_MS = 2 * 60_000;

export interface DeviceTimeKnowledge {
  receivedAtMs: number;
  /** Hub minus device clock at the last ping; null when never measured. */
  offsetMs: number | null;
  /** The corrected time of the device's previous mutation; null when none. */
  previousMs: number | null;
}

export interface BoundedTime {
  correctedMs: number;
  flag: TimeFlag | null;
}

export function boundDeviceTime(
  deviceTimeMs: number,
  known: DeviceTimeKnowledge,
  toleranceMs: number = DEVICE_TIME_TOLERANCE_MS,
): BoundedTime {
  const skewed = known.offsetMs !== null && Math.abs(known.offsetMs) > toleranceMs;
  const shifted = skewed ? deviceTimeMs + known.offsetMs! : deviceTimeMs;
  const upper = known.receivedAtMs;
  // A previous mutation can never be later than this receipt; guard anyway so bounds never cross.
  const lower = known.previousMs === null ? -Infinity : Math.min(known.previousMs, upper);
  const correctedMs = Math.min(Math.max(shifted, lower), upper);
  let flag: TimeFlag | null = null;
  if (shifted > upper + toleranceMs) flag = 'ahead_of_hub';
  else if (shifted < lower - toleranceMs) flag = 'before_previous';
  else if (skewed) flag = 'clock_skewed';
  return { correctedMs, flag };
}

/** The offset a ping measures: hub receipt minus the device's time in it (one-way delay included). */
export const measuredOffsetMs = (hubReceivedMs: number, deviceTimeMs: number): number =>
  Math.round(hubReceivedMs - deviceTimeMs);
