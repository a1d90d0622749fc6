// @vitest-environment happy-dom
/**
 * The wedge detector on a real (happy-dom) window: scans are swallowed and reported, typing lands
 * in the field it was aimed at, and keys a person needs (Space on a button) are not held.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { installWedgeCapture } from './wedgeCapture';
import { DEFAULT_WEDGE_SETTINGS, type KeyClock } from './wedgeDetector';

/** A key clock driven by the keys' own timestamps, as in wedgeDetector.test.ts. */
function clock() {
  let pending: { fn: () => void; at: number } | null = null;
  let now = 0;
  const timers: KeyClock = {
    set: (fn, ms) => (pending = { fn, at: now + ms }),
    clear: () => (pending = null),
    now: () => now,
  };
  const advanceTo = (t: number) => {
    while (pending && pending.at <= t) {
      const p = pending;
      pending = null;
      now = p.at;
      p.fn();
    }
    now = t;
  };
  /** The page busy until `t`: due timers run late, at t. */
  const stall = (t: number) => {
    now = t;
    while (pending && pending.at <= t) {
      const p = pending;
      pending = null;
      p.fn();
    }
  };
  return { timers, advanceTo, stall };
}

let cleanup: (() => void) | null = null;
afterEach(() => {
  cleanup?.();
  cleanup = null;
  document.body.innerHTML = '';
});

function setup() {
  const c = clock();
  const scans: string[] = [];
  const capture = installWedgeCapture({
    settings: DEFAULT_WEDGE_SETTINGS,
    onScan: (code) => scans.push(code),
    timers: c.timers,
  });
  cleanup = capture.uninstall;
  /** Presses `key` at time `at` on the focused element; returns whether a field would see it. */
  const press = (key: string, at: number) => {
    if (at >= 0) c.advanceTo(at);
    const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true });
    Object.defineProperty(event, 'timeStamp', { value: at });
    const reached: string[] = [];
    const target = (document.activeElement ?? document.body) as HTMLElement;
    const listener = () => reached.push(key);
    target.addEventListener('keydown', listener);
    target.dispatchEvent(event);
    target.removeEventListener('keydown', listener);
    return { prevented: event.defaultPrevented, reachedTarget: reached.length > 0 };
  };
  const type = (text: string, start: number, gap: number) =>
    [...text].map((ch, i) => press(ch, start + i * gap));
  return { scans, press, type, advanceTo: c.advanceTo, stall: c.stall, capture };
}

function field(id: string) {
  const input = document.createElement('input');
  input.id = id;
  document.body.appendChild(input);
  return input;
}

describe('wedge capture', () => {
  it('reports a scanner burst as a scan, and nothing of it reaches the focused field', () => {
    const h = setup();
    const input = field('search');
    const inputs: string[] = [];
    input.addEventListener('input', () => inputs.push(input.value));
    input.focus();
    const keys = h.type('TRY-VALID', 1000, 5);
    const enter = h.press('Enter', 1000 + 9 * 5);
    h.advanceTo(5000);
    expect(h.scans).toEqual(['TRY-VALID']);
    expect(keys.every((k) => k.prevented && !k.reachedTarget)).toBe(true);
    expect(enter.prevented && !enter.reachedTarget).toBe(true);
    expect(input.value).toBe('');
    expect(inputs).toEqual([]);
  });

  it('puts human-speed typing into the field with input events, and lets Enter through', () => {
    const h = setup();
    const input = field('search');
    const inputs: string[] = [];
    input.addEventListener('input', () => inputs.push(input.value));
    input.focus();
    h.type('chen', 0, 120);
    const enter = h.press('Enter', 4 * 120);
    h.advanceTo(5000);
    expect(h.scans).toEqual([]);
    expect(input.value).toBe('chen');
    expect(inputs.at(-1)).toBe('chen');
    expect(enter.prevented).toBe(false);
  });

  it('inserts held keys where they were aimed even if the focus moved meanwhile', () => {
    const h = setup();
    const first = field('first');
    const second = field('second');
    first.focus();
    h.press('a', 0);
    second.focus();
    h.advanceTo(1000);
    expect(first.value).toBe('a');
    expect(second.value).toBe('');
  });

  it('does not hold Space on a button, so the button still works', () => {
    const h = setup();
    const button = document.createElement('button');
    document.body.appendChild(button);
    button.focus();
    expect(h.press(' ', 0)).toEqual({ prevented: false, reachedTarget: true });
  });

  it('stops listening when uninstalled', () => {
    const h = setup();
    cleanup?.();
    cleanup = null;
    const input = field('x');
    input.focus();
    expect(h.press('a', 0).prevented).toBe(false);
  });

  it('takes back what a busy page released into the field when the rest of the burst arrives', () => {
    const h = setup();
    const input = field('manual');
    input.value = 'x';
    input.focus();
    input.setSelectionRange(1, 1);
    const values: string[] = [];
    input.addEventListener('input', () => values.push(input.value));
    h.type('TRY', 0, 5);
    h.stall(300);
    h.stall(301); // the timer ran before the queued keys: 'TRY' went into the field
    expect(input.value).toBe('xTRY');
    h.type('-VALID', 15, 5);
    h.press('Enter', 45);
    h.advanceTo(5000);
    expect(h.scans).toEqual(['TRY-VALID']);
    expect(input.value).toBe('x');
    expect(values.at(-1)).toBe('x');
  });

  it('keeps a burst going when new thresholds arrive in the middle of it', () => {
    const h = setup();
    const input = field('manual');
    input.focus();
    h.type('TRY', 0, 5);
    h.capture.configure({ ...DEFAULT_WEDGE_SETTINGS, minLength: 6 });
    h.type('-VALID', 15, 5);
    h.press('Enter', 45);
    h.advanceTo(5000);
    expect(h.scans).toEqual(['TRY-VALID']);
    expect(input.value).toBe('');
  });
});
