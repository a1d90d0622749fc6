/**
 * The console's best time: hub time estimated from round trips and the monotonic clock
 * (backend-sync/domain/hubTime.ts), kept across restarts in `meta`. It is the `Clock` the till,
 * sign-in, the outbox and the sync status judge and stamp with, so coupon validity, the offline
 * limit and lockouts do not follow a wall clock someone moved.
 *
 * It notices a wall clock moved by more than the threshold (a jump while running, or a clock set
 * back behind the floor while the app was closed), records it (meta `clockWarning`, the log) and
 * reports it; after a set-back found at start the time is `untrusted` until the next round trip,
 * and the till refuses to redeem meanwhile (till/redeem.ts).
 */
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { Clock, DeviceClock } from '../../../backend-sync/domain/clock';
import {
  addRoundTrip,
  CLOCK_JUMP_THRESHOLD_MS,
  estimate,
  initialEstimator,
  toPersisted,
  type EstimatorState,
  type PersistedTime,
  type TimeEstimate,
} from '../../../backend-sync/domain/hubTime';
import type { ClockWarning } from '../consoleApi/contract';
import { getMeta, setMeta } from '../store/meta';
import { writeTransaction } from '../store/transaction';

/** How often the floor (hub time known to have passed) is written while the app runs. */
export const FLOOR_HEARTBEAT_MS = 5 * 60_000;

/** A request's send, as the device's clocks read it (see HubClock.roundTrip). */
export interface SendStamp {
  wallMs: number;
  monoMs: number;
}

export interface HubClock extends Clock {
  /** The device's own clocks when a request leaves. */
  stamp(): SendStamp;
  /** An answer carrying the hub's time arrived for a request sent at `sent`. */
  roundTrip(sent: SendStamp, hubTime: string): void;
  /** The estimate now (source, uncertainty, how far the wall clock is off). */
  estimate(): TimeEstimate;
  /** The last clock warning (recorded), or null. */
  warning(): ClockWarning | null;
  /** Written state settles (tests, shutdown). */
  flush(): Promise<void>;
}

export interface HubClockDeps {
  db: Knex;
  device: DeviceClock;
  logger: Logger;
  /** The warning changed (the sync status republishes). */
  onWarning?: (warning: ClockWarning | null) => void;
}

export async function createHubClock(deps: HubClockDeps): Promise<HubClock> {
  const log = deps.logger.child({ module: 'time' });
  const persisted = await loadPersisted(deps.db);
  let state: EstimatorState = initialEstimator(persisted);
  let warning = parseWarning(await getMeta(deps.db, 'clockWarning'));
  let lastPersistMono = -Infinity;
  let writes: Promise<void> = Promise.resolve();

  const write = (values: Parameters<typeof setMeta>[1]): void => {
    writes = writes
      .then(() => writeTransaction(deps.db, (trx) => setMeta(trx, values)))
      .catch((err: unknown) => log.error({ err }, 'could not record the clock state'));
  };

  /** False during creation: the status reads the warning itself when it first publishes. */
  let started = false;
  const setWarning = (next: ClockWarning | null): void => {
    warning = next;
    write({ clockWarning: next ? JSON.stringify(next) : null });
    if (started) deps.onWarning?.(next);
  };

  const persist = (now: TimeEstimate, wallMs: number, monoMs: number): void => {
    const next = toPersisted(state, now, wallMs);
    if (!next) return;
    state = { ...state, persisted: next };
    lastPersistMono = monoMs;
    write({ hubTimeAnchor: JSON.stringify(next) });
  };

  const read = (): TimeEstimate => {
    const wallMs = deps.device.now().getTime();
    const monoMs = deps.device.monotonicMs();
    const result = estimate(state, wallMs, monoMs);
    state = result.state;
    const now = result.estimate;
    if (result.jump) {
      const kind = result.jump.byMs < 0 ? 'set_back' : 'jumped_forward';
      log.warn({ byMs: result.jump.byMs, kind }, 'the wall clock moved');
      setWarning({ kind, byMs: result.jump.byMs, at: new Date(result.jump.atHubMs).toISOString() });
    } else if (now.source === 'untrusted' && warning?.kind !== 'untrusted') {
      const byMs = Math.round(wallMs + (persisted!.hubMs - persisted!.wallMs) - persisted!.floorMs);
      log.warn({ byMs }, 'the wall clock is behind time already seen: time untrusted until the hub answers');
      setWarning({ kind: 'untrusted', byMs, at: new Date(now.hubMs).toISOString() });
    }
    if (now.source !== 'untrusted' && monoMs - lastPersistMono >= FLOOR_HEARTBEAT_MS)
      persist(now, wallMs, monoMs);
    return now;
  };

  // At start: a wall clock set back behind the floor while the app was closed is noticed now.
  read();
  started = true;

  return {
    now: () => new Date(read().hubMs),
    stamp: () => ({ wallMs: deps.device.now().getTime(), monoMs: deps.device.monotonicMs() }),
    roundTrip(sent, hubTime) {
      const first = state.samples.length === 0;
      state = addRoundTrip(state, {
        sentWallMs: sent.wallMs,
        sentMonoMs: sent.monoMs,
        receivedWallMs: deps.device.now().getTime(),
        receivedMonoMs: deps.device.monotonicMs(),
        hubMs: Date.parse(hubTime),
      });
      const now = read();
      if (now.source !== 'monotonic') return;
      // The first anchor of this process replaces the persisted one at once (later: the heartbeat).
      if (first) persist(now, deps.device.now().getTime(), deps.device.monotonicMs());
      // The hub answered: the time is known again. A wall clock still off stays a warning.
      const off = Math.abs(now.wallOffsetMs) > CLOCK_JUMP_THRESHOLD_MS;
      if (warning?.kind === 'untrusted' || (warning && !off)) {
        setWarning(
          off
            ? {
                kind: now.wallOffsetMs < 0 ? 'set_back' : 'jumped_forward',
                byMs: now.wallOffsetMs,
                at: new Date(now.hubMs).toISOString(),
              }
            : null,
        );
      }
    },
    estimate: read,
    warning: () => warning,
    flush: async () => {
      await writes;
    },
  };
}

async function loadPersisted(db: Knex): Promise<PersistedTime | null> {
  const raw = await getMeta(db, 'hubTimeAnchor');
  const anchor = raw ? (JSON.parse(raw) as PersistedTime) : null;
  // The last mutation's time has passed too: the floor is at least that (the outbox is on disk anyway).
  const last = (await db('outbox').orderBy('seq', 'desc').first('device_time')) as
    { device_time: string } | undefined;
  const lastMs = last ? Date.parse(last.device_time) : NaN;
  if (!anchor) return null;
  return Number.isFinite(lastMs) ? { ...anchor, floorMs: Math.max(anchor.floorMs, lastMs) } : anchor;
}

function parseWarning(raw: string | null): ClockWarning | null {
  if (!raw) return null;
  try {
    return JSON.parse(raw) as ClockWarning;
  } catch {
    return null;
  }
}
