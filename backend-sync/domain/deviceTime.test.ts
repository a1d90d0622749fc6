import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundDeviceTime, DEVICE_TIME_TOLERANCE_MS as TOL, measuredOffsetMs } from './deviceTime';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const received = Date.parse('2026-03-01T10:00:00Z');

describe('boundDeviceTime', () => {
  it('believes a plausible time as it is (no flag)', () => {
    const t = received - 5 * HOUR;
    expect(boundDeviceTime(t, { receivedAtMs: received, offsetMs: 40, previousMs: t - HOUR })).toEqual({
      correctedMs: t,
      flag: null,
    });
  });

  it('brings a device 3 days ahead back by its measured offset and flags it', () => {
    const real = received - HOUR;
    const said = real + 3 * DAY;
    const bounded = boundDeviceTime(said, { receivedAtMs: received, offsetMs: -3 * DAY, previousMs: null });
    expect(bounded).toEqual({ correctedMs: real, flag: 'clock_skewed' });
  });

  it('never lets a time be later than the hub received it', () => {
    const bounded = boundDeviceTime(received + DAY, {
      receivedAtMs: received,
      offsetMs: null,
      previousMs: null,
    });
    expect(bounded).toEqual({ correctedMs: received, flag: 'ahead_of_hub' });
  });

  it('never lets a time go before the device previous mutation (a clock set back 3 days)', () => {
    const previous = received - HOUR;
    const bounded = boundDeviceTime(received - 3 * DAY, {
      receivedAtMs: received,
      offsetMs: 0,
      previousMs: previous,
    });
    expect(bounded).toEqual({ correctedMs: previous, flag: 'before_previous' });
  });

  it('measures an offset as hub receipt minus device time', () => {
    expect(measuredOffsetMs(received, received - 3 * DAY)).toBe(3 * DAY);
  });

  it('property: the corrected time is within [previous, received], flagged exactly when moved beyond the tolerance', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -10 * DAY, max: 10 * DAY }),
        fc.option(fc.integer({ min: -10 * DAY, max: 10 * DAY }), { nil: null }),
        fc.option(fc.integer({ min: 0, max: 10 * DAY }), { nil: null }),
        (deviceDelta, offsetMs, previousAgo) => {
          const previousMs = previousAgo === null ? null : received - previousAgo;
          const device = received + deviceDelta;
          const { correctedMs, flag } = boundDeviceTime(device, {
            receivedAtMs: received,
            offsetMs,
            previousMs,
          });
          expect(correctedMs).toBeLessThanOrEqual(received);
          if (previousMs !== null) expect(correctedMs).toBeGreaterThanOrEqual(previousMs);
          if (Math.abs(correctedMs - device) > TOL) expect(flag).not.toBeNull();
          if (flag === null) expect(Math.abs(correctedMs - device)).toBeLessThanOrEqual(TOL);
        },
      ),
    );
  });

  it('property: corrected times of one device in push order never go backwards', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -5 * DAY, max: 5 * DAY }), { minLength: 1, maxLength: 30 }),
        (deltas) => {
          let previousMs: number | null = null;
          let receivedAtMs = received;
          for (const delta of deltas) {
            receivedAtMs += 1000;
            const { correctedMs } = boundDeviceTime(receivedAtMs + delta, {
              receivedAtMs,
              offsetMs: null,
              previousMs,
            });
            if (previousMs !== null) expect(correctedMs).toBeGreaterThanOrEqual(previousMs);
            previousMs = correctedMs;
          }
        },
      ),
    );
  });
});
