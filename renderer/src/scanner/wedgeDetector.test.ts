import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createWedgeDetector, DEFAULT_WEDGE_SETTINGS, type Timers, type WedgeKey } from './wedgeDetector';

/** A timer queue driven by the keys' own timestamps: firing is exact, nothing sleeps. */
function harness(settings = DEFAULT_WEDGE_SETTINGS) {
  const scans: string[] = [];
  const released: string[] = [];
  let pending: { fn: () => void; at: number } | null = null;
  let now = 0;
  const timers: Timers = {
    set: (fn, ms) => (pending = { fn, at: now + ms }),
    clear: () => (pending = null),
  };
  const d = createWedgeDetector(
    settings,
    { scan: (c) => scans.push(c), release: (t) => released.push(t) },
    timers,
  );
  const advanceTo = (t: number) => {
    while (pending && pending.at <= t) {
      const p = pending;
      pending = null;
      now = p.at;
      p.fn();
    }
    now = t;
  };
  const press = (k: WedgeKey) => {
    advanceTo(k.time);
    return d.key(k);
  };
  const type = (text: string, start: number, gap: number, suffix?: string) => {
    const decisions = [...text].map((ch, i) => press({ key: ch, time: start + i * gap }));
    if (suffix) decisions.push(press({ key: suffix, time: start + text.length * gap }));
    return decisions;
  };
  return { scans, released, press, type, advanceTo, typedText: () => released.join('') };
}

describe('wedge detector', () => {
  it('takes a fast burst ended by Enter for a scan, keeping hyphens, digits and lower case', () => {
    const h = harness();
    const decisions = h.type('ab-12-CD', 1000, 4, 'Enter');
    expect(h.scans).toEqual(['ab-12-CD']);
    expect(decisions.every((d) => d === 'hold')).toBe(true); // swallowed: nothing reaches a field
    h.advanceTo(5000);
    expect(h.released).toEqual([]);
  });

  it('accepts Tab as the suffix key', () => {
    const h = harness();
    h.type('K7PX2M9Q', 0, 8, 'Tab');
    expect(h.scans).toEqual(['K7PX2M9Q']);
  });

  it('never takes human typing (80 ms and slower) for a scan, and loses no character', () => {
    const h = harness();
    const decisions = h.type('chen', 0, 80, 'Enter');
    h.advanceTo(10_000);
    expect(h.scans).toEqual([]);
    expect(h.typedText()).toBe('chen');
    expect(decisions.at(-1)).toBe('pass'); // the person's Enter works as usual
  });

  it('does not take a short fast burst (below the minimum length) for a scan', () => {
    const h = harness();
    h.type('abc', 0, 5, 'Enter');
    expect(h.scans).toEqual([]);
    expect(h.typedText()).toBe('abc');
  });

  it('treats overlapping keys of a fast typist (a quick pair, then a pause) as typing', () => {
    const h = harness();
    // rollover: "th" 15 ms apart, then 120 ms, "e" then Enter after 90 ms
    h.press({ key: 't', time: 0 });
    h.press({ key: 'h', time: 15 });
    h.press({ key: 'e', time: 135 });
    h.press({ key: 'n', time: 150 });
    h.press({ key: 'Enter', time: 240 });
    h.advanceTo(1000);
    expect(h.scans).toEqual([]);
    expect(h.typedText()).toBe('then');
  });

  it('releases held keys when a modifier shortcut or an editing key arrives', () => {
    const h = harness();
    h.press({ key: 'a', time: 0 });
    expect(h.press({ key: 'c', time: 5, ctrlKey: true })).toBe('pass');
    expect(h.typedText()).toBe('a');
    h.press({ key: 'b', time: 100 });
    expect(h.press({ key: 'Backspace', time: 105 })).toBe('pass');
    expect(h.typedText()).toBe('ab');
  });

  it('follows its settings', () => {
    const h = harness({ ...DEFAULT_WEDGE_SETTINGS, minLength: 8, maxAverageGapMs: 10 });
    h.type('ABCDEFG', 0, 2, 'Enter'); // 7 < 8
    h.type('ABCDEFGH', 1000, 15, 'Enter'); // too slow on average
    h.type('ABCDEFGH', 2000, 5, 'Enter');
    h.advanceTo(5000);
    expect(h.scans).toEqual(['ABCDEFGH']);
    expect(h.typedText()).toBe('ABCDEFGABCDEFGH');
  });

  it('property: any text typed with gaps ≥ 80 ms is released unchanged and never scanned', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-ABC '), {
          minLength: 1,
          maxLength: 30,
        }),
        fc.array(fc.integer({ min: 80, max: 400 }), { minLength: 31, maxLength: 31 }),
        (chars, gaps) => {
          const h = harness();
          let t = 0;
          chars.forEach((ch, i) => {
            h.press({ key: ch, time: t });
            t += gaps[i]!;
          });
          h.press({ key: 'Enter', time: t });
          h.advanceTo(t + 10_000);
          expect(h.scans).toEqual([]);
          expect(h.typedText()).toBe(chars.join(''));
        },
      ),
    );
  });

  it('property: any code of ≥ 4 printable characters at ≤ 30 ms per key is one scan, exactly', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[!-~]{4,40}$/), fc.integer({ min: 1, max: 30 }), (code, gap) => {
        const h = harness();
        h.type(code, 0, gap, 'Enter');
        h.advanceTo(100_000);
        expect(h.scans).toEqual([code]);
        expect(h.released).toEqual([]);
      }),
    );
  });
});
