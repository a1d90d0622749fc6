import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addRoundTrip,
  CLOCK_JUMP_THRESHOLD_MS,
  estimate,
  initialEstimator,
  sampleOf,
  toPersisted,
  type EstimatorState,
} from './hubTime';

const HUB = Date.parse('2026-03-01T02:00:00Z');
const DAY = 86_400_000;

/** A device whose wall clock is `skew` off the hub, having one round trip of `rtt` at mono 0. */
function synced(skew: number, rtt = 40): EstimatorState {
  return addRoundTrip(initialEstimator(null), {
    sentWallMs: HUB + skew - rtt,
    sentMonoMs: -rtt,
    receivedWallMs: HUB + skew,
    receivedMonoMs: 0,
    hubMs: HUB - rtt / 2,
  });
}

describe('sampleOf', () => {
  it('puts hub time at receipt within ± RTT/2', () => {
    expect(
      sampleOf({ sentWallMs: 0, sentMonoMs: 100, receivedWallMs: 80, receivedMonoMs: 180, hubMs: 5000 }),
    ).toEqual({
      hubMs: 5040,
      monoMs: 180,
      wallMs: 80,
      uncertaintyMs: 40,
    });
  });
  it('ignores a round trip whose monotonic time went backwards or took too long', () => {
    expect(
      sampleOf({ sentWallMs: 0, sentMonoMs: 100, receivedWallMs: 0, receivedMonoMs: 50, hubMs: 1 }),
    ).toBeNull();
    expect(
      sampleOf({ sentWallMs: 0, sentMonoMs: 0, receivedWallMs: 0, receivedMonoMs: 60_000, hubMs: 1 }),
    ).toBeNull();
  });
});

describe('estimate', () => {
  it('uses the wall clock as it is before any round trip', () => {
    const { estimate: e } = estimate(initialEstimator(null), HUB + 5, 0);
    expect(e).toMatchObject({ hubMs: HUB + 5, source: 'unsynced' });
  });

  it('picks the sample with the smallest uncertainty among recent ones', () => {
    let s = synced(3 * DAY, 400);
    s = addRoundTrip(s, {
      sentWallMs: 0,
      sentMonoMs: 990,
      receivedWallMs: 0,
      receivedMonoMs: 1000,
      hubMs: HUB + 1000 - 5,
    });
    const { estimate: e } = estimate(s, 0, 1000);
    expect(e.hubMs).toBe(HUB + 1000);
    expect(e.uncertaintyMs).toBe(5);
  });

  it('counts monotonic time, whatever the wall clock says, and reports a wall clock set back 3 days once', () => {
    const s = synced(0);
    const first = estimate(s, HUB + 60_000, 60_000);
    expect(first.jump).toBeNull();
    const back = estimate(first.state, HUB + 120_000 - 3 * DAY, 120_000);
    expect(back.estimate).toMatchObject({ hubMs: HUB + 120_000, source: 'monotonic' });
    expect(back.jump?.byMs).toBe(-3 * DAY);
    expect(estimate(back.state, HUB + 180_000 - 3 * DAY, 180_000).jump).toBeNull();
  });

  it('reports a wall clock jumping forward', () => {
    const { jump } = estimate(synced(0), HUB + 10 * DAY, 1000);
    expect(jump!.byMs).toBeGreaterThan(CLOCK_JUMP_THRESHOLD_MS);
  });

  it('after a restart uses the wall clock with the last offset, and distrusts one set back behind the floor', () => {
    const before = synced(-3 * DAY); // the wall clock is 3 days behind the hub
    const now = estimate(before, HUB - 3 * DAY + 3_600_000, 3_600_000);
    const persisted = toPersisted(now.state, now.estimate, HUB - 3 * DAY + 3_600_000)!;
    expect(persisted.floorMs).toBe(HUB + 3_600_000);
    // Restarted two hours later, same skew: believed.
    const later = estimate(initialEstimator(persisted), HUB - 3 * DAY + 7_200_000, 5);
    expect(later.estimate).toMatchObject({ source: 'wall', hubMs: HUB + 7_200_000 });
    // Restarted with the wall clock set back one more day: untrusted, and never before the floor.
    const setBack = estimate(initialEstimator(persisted), HUB - 4 * DAY + 7_200_000, 5);
    expect(setBack.estimate.source).toBe('untrusted');
    expect(setBack.estimate.hubMs).toBe(persisted.floorMs);
  });

  it('a round trip after an untrusted start makes the time trusted again', () => {
    const persisted = { hubMs: HUB, wallMs: HUB, uncertaintyMs: 10, floorMs: HUB + DAY };
    let s = initialEstimator(persisted);
    expect(estimate(s, HUB, 0).estimate.source).toBe('untrusted');
    s = addRoundTrip(s, {
      sentWallMs: HUB,
      sentMonoMs: 0,
      receivedWallMs: HUB + 10,
      receivedMonoMs: 10,
      hubMs: HUB + 5,
    });
    expect(estimate(s, HUB + 10, 10).estimate).toMatchObject({ source: 'monotonic', hubMs: HUB + 10 });
  });

  it('property: answers never go backwards while the wall clock is moved around', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            passMs: fc.integer({ min: 0, max: 3_600_000 }),
            setWall: fc.integer({ min: -5 * DAY, max: 5 * DAY }),
          }),
          {
            minLength: 1,
            maxLength: 40,
          },
        ),
        (steps) => {
          let s = synced(0);
          let mono = 0;
          let last = -Infinity;
          for (const step of steps) {
            mono += step.passMs;
            const r = estimate(s, HUB + mono + step.setWall, mono);
            expect(r.estimate.hubMs).toBeGreaterThanOrEqual(last);
            // Anchored: the hub time is the monotonic truth whatever the wall says.
            expect(r.estimate.hubMs).toBe(HUB + mono);
            last = r.estimate.hubMs;
            s = r.state;
          }
        },
      ),
    );
  });
});
