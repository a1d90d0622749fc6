/**
 * Keyboard-wedge scanner detection. A wedge scanner types its code within milliseconds and ends
 * with Enter or Tab; people type with gaps of 80 ms and more. Keys are held back (the caller
 * prevents their default action) while a burst may be forming:
 *  - the burst ends with a suffix key, has ≥ minLength characters and an average gap ≤
 *    maxAverageGapMs → it is a scan: reported once, and never lands in a text field;
 *  - otherwise (a gap longer than holdTimeoutMs, a short burst, any other key) the held keys are
 *    released as ordinary typing, in order, with nothing lost.
 * Time is the keys' own timestamps (KeyboardEvent.timeStamp), not when the page got round to them:
 * a page busy mid-burst (a long task) hears the rest of the burst late, and its hold timer may run
 * before the queued keys do. So a timer that fires late first lets queued keys in (one more turn),
 * and if it had already released the start of a burst as typing, the next key — stamped within
 * the hold time of that start — takes the release back (`sink.retract`) and the burst goes on.
 * Pure state machine: time comes in with each key and timers are injected, so tests are exact.
 */

export interface WedgeSettings {
  minLength: number;
  maxAverageGapMs: number;
  /** How long a held key waits for the next before it is released as typing. */
  holdTimeoutMs: number;
  suffixKeys: string[];
}

export const DEFAULT_WEDGE_SETTINGS: WedgeSettings = {
  minLength: 4,
  maxAverageGapMs: 30,
  holdTimeoutMs: 50,
  suffixKeys: ['Enter', 'Tab'],
};

export interface WedgeKey {
  /** KeyboardEvent.key */
  key: string;
  /** Milliseconds, monotonic (KeyboardEvent.timeStamp). */
  time: number;
  ctrlKey?: boolean;
  altKey?: boolean;
  metaKey?: boolean;
}

export interface WedgeSink {
  scan(code: string): void;
  /** Held characters that turned out to be typing, to be inserted where they were aimed. */
  release(text: string): void;
  /**
   * Undo the last release (keys stamped just after it show it was the start of a burst heard
   * late); false when it can no longer be undone (the field was edited since).
   */
  retract(): boolean;
}

/** Hold timers and "now" on the keys' clock (injected so tests drive time by the keys' stamps). */
export interface KeyClock {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
  /** Now, on the keys' clock (performance.now() for KeyboardEvent.timeStamp). */
  now(): number;
}

export const realKeyClock: KeyClock = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  now: () => performance.now(),
};

/** A hold timer running this much later than asked means the page was busy, not the scanner idle. */
const LATE_TIMER_MS = 15;

/** What the caller must do with the key event. */
export type KeyDecision = 'hold' | 'pass';

const MODIFIERS = new Set(['Shift', 'CapsLock']);

interface HeldKey {
  char: string;
  time: number;
}

export function createWedgeDetector(
  initial: WedgeSettings,
  sink: WedgeSink,
  timers: KeyClock = realKeyClock,
) {
  let settings = initial;
  let held: HeldKey[] = [];
  let timer: unknown = null;
  /** Whether the running hold timer already gave queued keys one more turn. */
  let deferred = false;
  /** Keys the hold timer released as typing, until the next key shows whether they were. */
  let timedOut: HeldKey[] | null = null;

  const stopTimer = () => {
    if (timer !== null) timers.clear(timer);
    timer = null;
    deferred = false;
  };
  const releaseHeld = () => {
    stopTimer();
    if (held.length > 0) sink.release(held.map((k) => k.char).join(''));
    held = [];
  };
  const onHoldTimeout = () => {
    timer = null;
    const last = held[held.length - 1];
    if (last && !deferred && timers.now() - last.time > settings.holdTimeoutMs + LATE_TIMER_MS) {
      // The page was busy: keys pressed meanwhile are still queued. Let them in first.
      deferred = true;
      timer = timers.set(onHoldTimeout, 0);
      return;
    }
    const released = held;
    releaseHeld();
    timedOut = released.length > 0 ? released : null;
  };
  /** A key stamped within the hold time of a timed-out release: the release was a burst's start. */
  const resumeTimedOut = (time: number) => {
    const released = timedOut;
    timedOut = null;
    const last = released?.[released.length - 1];
    if (!released || !last || held.length > 0 || time - last.time > settings.holdTimeoutMs) return;
    if (sink.retract()) held = released;
  };
  const averageGap = () => {
    if (held.length < 2) return 0;
    return (held[held.length - 1]!.time - held[0]!.time) / (held.length - 1);
  };

  function key(event: WedgeKey): KeyDecision {
    if (MODIFIERS.has(event.key)) return held.length > 0 ? 'hold' : 'pass';
    const shortcut = Boolean(event.ctrlKey || event.altKey || event.metaKey);
    const burstKey = event.key.length === 1 || settings.suffixKeys.includes(event.key);
    if (burstKey && !shortcut) resumeTimedOut(event.time);
    else timedOut = null;
    if (shortcut) {
      releaseHeld();
      return 'pass';
    }
    if (settings.suffixKeys.includes(event.key)) {
      const last = held[held.length - 1];
      const inBurst = last !== undefined && event.time - last.time <= settings.holdTimeoutMs;
      if (inBurst && held.length >= settings.minLength && averageGap() <= settings.maxAverageGapMs) {
        stopTimer();
        const code = held.map((k) => k.char).join('');
        held = [];
        sink.scan(code);
        return 'hold';
      }
      releaseHeld();
      return 'pass';
    }
    if (event.key.length !== 1) {
      // Backspace, arrows, F-keys…: a person is editing.
      releaseHeld();
      return 'pass';
    }
    const last = held[held.length - 1];
    if (last !== undefined && event.time - last.time > settings.holdTimeoutMs) releaseHeld();
    held.push({ char: event.key, time: event.time });
    stopTimer();
    timer = timers.set(onHoldTimeout, settings.holdTimeoutMs);
    return 'hold';
  }

  return {
    key,
    /** New thresholds, keeping a burst in progress. */
    configure(next: WedgeSettings) {
      settings = next;
    },
    /** Release anything held (e.g. the window lost focus). */
    flush: releaseHeld,
    dispose: stopTimer,
  };
}

export type WedgeDetector = ReturnType<typeof createWedgeDetector>;
