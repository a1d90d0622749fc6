/**
 * The console's estimate of hub time (docs/protocol.md, "Time"). Pure: every input is a number
 * the caller read from its clocks, so tests drive it without sleeping.
 *
 * - Each round trip to the hub is a sample, NTP-style: the hub stamped its time somewhere between
 *   our send and our receipt, so hub time at receipt is `hubMs + rtt/2` within `± rtt/2`. The
 *   anchor is the sample whose uncertainty, grown by the drift of the device's crystal since it
 *   was taken, is smallest now among the recent ones.
 * - While the process lives, hub time is the anchor plus MONOTONIC elapsed time: moving the wall
 *   clock changes nothing. A wall clock that moved against the monotonic one by more than the
 *   threshold is reported (a jump), once.
 * - A restart loses monotonic continuity. Then hub time is the wall clock plus the last persisted
 *   offset, checked against a floor (hub time known to have passed already: the anchor, the last
 *   mutation, a heartbeat). Below the floor by more than the threshold, the wall clock was set
 *   back while the app was closed: the time cannot be trusted until the next round trip.
 *   A wall clock moved FORWARD while the app was closed cannot be told from a long shutdown; it
 *   only makes coupons expire and the offline limit arrive sooner (the hub still bounds it).
 */

/** A crystal's drift: PC clocks stay within ±100 ppm; twice that, to be safe. */
export const DRIFT_PER_MS = 200e-6;
/** A wall clock moved by more than this against the monotonic clock (or the floor) is a jump. */
export const CLOCK_JUMP_THRESHOLD_MS = 2 * 60_000;
/** Round trips slower than this say too little about the hub's time to be used. */
export const MAX_USEFUL_RTT_MS = 30_000;
/** How many recent samples compete for the anchor. */
export const RECENT_SAMPLES = 8;

export interface RoundTrip {
  sentWallMs: number;
  sentMonoMs: number;
  receivedWallMs: number;
  receivedMonoMs: number;
  /** The time the hub wrote into its answer. */
  hubMs: number;
}

/** Hub time at a monotonic instant (and the wall clock then), within ± uncertaintyMs. */
export interface TimeSample {
  hubMs: number;
  monoMs: number;
  wallMs: number;
  uncertaintyMs: number;
}

/** What survives a restart: an anchor without its monotonic instant, and the floor. */
export interface PersistedTime {
  hubMs: number;
  wallMs: number;
  uncertaintyMs: number;
  floorMs: number;
}

export type TimeSource =
  /** Anchored in this process: anchor + monotonic elapsed time. */
  | 'monotonic'
  /** After a restart: wall clock + last known offset, not below the floor. */
  | 'wall'
  /** Never synced: the wall clock as it is. */
  | 'unsynced'
  /** After a restart the wall clock was found behind the floor: not to be relied on. */
  | 'untrusted';

export interface TimeEstimate {
  hubMs: number;
  uncertaintyMs: number;
  source: TimeSource;
  /** Wall clock minus hub time: how far the device's own clock is off. */
  wallOffsetMs: number;
}

export interface ClockJump {
  /** Positive: the wall clock moved forward; negative: back. */
  byMs: number;
  /** Hub time when it was noticed. */
  atHubMs: number;
}

/** One round trip as a sample, or null when it says nothing useful (clock went back, too slow). */
export function sampleOf(rt: RoundTrip): TimeSample | null {
  const rtt = rt.receivedMonoMs - rt.sentMonoMs;
  if (!Number.isFinite(rtt) || rtt < 0 || rtt > MAX_USEFUL_RTT_MS || !Number.isFinite(rt.hubMs)) return null;
  return {
    hubMs: rt.hubMs + rtt / 2,
    monoMs: rt.receivedMonoMs,
    wallMs: rt.receivedWallMs,
    uncertaintyMs: rtt / 2,
  };
}

/** A sample's uncertainty at a later monotonic instant (the crystal drifted meanwhile). */
export const uncertaintyAt = (sample: TimeSample, monoMs: number): number =>
  sample.uncertaintyMs + Math.abs(monoMs - sample.monoMs) * DRIFT_PER_MS;

/** The best of the samples at this monotonic instant. */
export function bestSample(samples: readonly TimeSample[], monoMs: number): TimeSample | null {
  let best: TimeSample | null = null;
  for (const s of samples) if (!best || uncertaintyAt(s, monoMs) < uncertaintyAt(best, monoMs)) best = s;
  return best;
}

export interface EstimatorState {
  /** Samples of this process (monotonic instants comparable), newest last. */
  samples: TimeSample[];
  persisted: PersistedTime | null;
  /** Wall minus hub time at the last check, to notice a wall clock that moved. */
  lastWallOffsetMs: number | null;
  /** The highest hub time answered so far: answers never go back. */
  lastAnsweredMs: number;
}

export const initialEstimator = (persisted: PersistedTime | null): EstimatorState => ({
  samples: [],
  persisted,
  lastWallOffsetMs: null,
  lastAnsweredMs: persisted?.floorMs ?? -Infinity,
});

/** Adds a round trip; returns the new state (the same when the sample was useless). */
export function addRoundTrip(state: EstimatorState, rt: RoundTrip): EstimatorState {
  const sample = sampleOf(rt);
  if (!sample) return state;
  const samples = [...state.samples, sample].slice(-RECENT_SAMPLES);
  // Answers given from a wall clock that ran far ahead are not a floor to keep: the hub knows better.
  const lastAnsweredMs =
    state.lastAnsweredMs > sample.hubMs + CLOCK_JUMP_THRESHOLD_MS ? sample.hubMs : state.lastAnsweredMs;
  return { ...state, samples, lastAnsweredMs, lastWallOffsetMs: sample.wallMs - sample.hubMs };
}

/**
 * Hub time now, from the clocks' readings; also the next state and a jump when the wall clock
 * moved against the monotonic one since the last check (in this process only).
 */
export function estimate(
  state: EstimatorState,
  wallMs: number,
  monoMs: number,
): { estimate: TimeEstimate; state: EstimatorState; jump: ClockJump | null } {
  const anchor = bestSample(state.samples, monoMs);
  let hubMs: number;
  let uncertaintyMs: number;
  let source: TimeSource;
  if (anchor) {
    hubMs = anchor.hubMs + (monoMs - anchor.monoMs);
    uncertaintyMs = uncertaintyAt(anchor, monoMs);
    source = 'monotonic';
  } else if (state.persisted) {
    const p = state.persisted;
    const fromWall = wallMs + (p.hubMs - p.wallMs);
    uncertaintyMs = p.uncertaintyMs + Math.abs(wallMs - p.wallMs) * DRIFT_PER_MS;
    source = fromWall < p.floorMs - CLOCK_JUMP_THRESHOLD_MS ? 'untrusted' : 'wall';
    hubMs = fromWall;
  } else {
    hubMs = wallMs;
    uncertaintyMs = 0;
    source = 'unsynced';
  }
  // Never answer a time before one already answered (mutations stay in order on one device).
  hubMs = Math.max(hubMs, state.lastAnsweredMs);
  const wallOffsetMs = wallMs - hubMs;
  let jump: ClockJump | null = null;
  if (source === 'monotonic' && state.lastWallOffsetMs !== null) {
    const byMs = wallOffsetMs - state.lastWallOffsetMs;
    if (Math.abs(byMs) > CLOCK_JUMP_THRESHOLD_MS) jump = { byMs, atHubMs: hubMs };
  }
  const next: EstimatorState = {
    ...state,
    lastAnsweredMs: hubMs,
    lastWallOffsetMs:
      source === 'monotonic' && (jump || state.lastWallOffsetMs === null)
        ? wallOffsetMs
        : state.lastWallOffsetMs,
  };
  return { estimate: { hubMs, uncertaintyMs, source, wallOffsetMs }, state: next, jump };
}

/** What to persist now: the best anchor as a wall/hub pair, and the floor (hub time passed). */
export function toPersisted(state: EstimatorState, now: TimeEstimate, wallMs: number): PersistedTime | null {
  if (now.source === 'monotonic') {
    // A fresh anchor is the best truth there is: the floor restarts from it.
    return { hubMs: now.hubMs, wallMs, uncertaintyMs: now.uncertaintyMs, floorMs: now.hubMs };
  }
  const floorMs = Math.max(now.hubMs, state.persisted?.floorMs ?? -Infinity);
  // Without a fresh anchor keep the old offset; only the floor moves on (never while untrusted).
  if (!state.persisted || now.source === 'untrusted') return state.persisted;
  return { ...state.persisted, floorMs };
}
