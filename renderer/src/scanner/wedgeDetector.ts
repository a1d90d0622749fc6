/**
 * Keyboard-wedge scanner detection. A wedge scanner types its code within milliseconds and ends
 * with Enter or Tab; people type with gaps of 80 ms and more. Keys are held back (the caller
 * prevents their default action) while a burst may be forming:
 *  - the burst ends with a suffix key, has ≥ minLength characters and an average gap ≤
 *    maxAverageGapMs → it is a scan: reported once, and never lands in a text field;
 *  - otherwise (a gap longer than holdTimeoutMs, a short burst, any other key) the held keys are
 *    released as ordinary typing, in order, with nothing lost.
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
}

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const realTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** What the caller must do with the key event. */
export type KeyDecision = 'hold' | 'pass';

const MODIFIERS = new Set(['Shift', 'CapsLock']);

export function createWedgeDetector(settings: WedgeSettings, sink: WedgeSink, timers: Timers = realTimers) {
  let held: { char: string; time: number }[] = [];
  let timer: unknown = null;

  const stopTimer = () => {
    if (timer !== null) timers.clear(timer);
    timer = null;
  };
  const releaseHeld = () => {
    stopTimer();
    if (held.length > 0) sink.release(held.map((k) => k.char).join(''));
    held = [];
  };
  const averageGap = () => {
    if (held.length < 2) return 0;
    return (held[held.length - 1]!.time - held[0]!.time) / (held.length - 1);
  };

  function key(event: WedgeKey): KeyDecision {
    if (MODIFIERS.has(event.key)) return held.length > 0 ? 'hold' : 'pass';
    if (event.ctrlKey || event.altKey || event.metaKey) {
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
    timer = timers.set(releaseHeld, settings.holdTimeoutMs);
    return 'hold';
  }

  return {
    key,
    /** Release anything held (e.g. the window lost focus). */
    flush: releaseHeld,
    dispose: stopTimer,
  };
}

export type WedgeDetector = ReturnType<typeof createWedgeDetector>;
