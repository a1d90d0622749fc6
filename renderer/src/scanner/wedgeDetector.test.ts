import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createWedgeDetector, DEFAULT_WEDGE_SETTINGS, type KeyClock, type WedgeKey } from './wedgeDetector';

/**
 * A timer queue driven by the keys' own timestamps: firing is exact, nothing sleeps. `stall(t)`
 * is a page busy until t: due timers run late, at t, and keys pressed meanwhile (stamped earlier)
 * are handed in after.
 */
function harness(settings = DEFAULT_WEDGE_SETTINGS) {
  const scans: string[] = [];
  const released: string[] = [];
  let pending: { fn: () => void; at: number } | null = null;
  let now = 0;
  const timers: KeyClock = {
    set: (fn, ms) => (pending = { fn, at: now + ms }),
    clear: () => (pending = null),
    now: () => now,
  };
  const d = createWedgeDetector(
    settings,
    {
      scan: (c) => scans.push(c),
      release: (t) => released.push(t),
      retract: () => released.pop() !== undefined,
    },
    timers,
  );
  const advanceTo = (t: number) => {
    while (pending && pending.at <= t) {
      const p = pending;
      pending = null;
      now = Math.max(now, p.at);
      p.fn();
    }
    now = Math.max(now, t);
  };
  /** The page was busy until `t`: timers due meanwhile run now, late; nothing else runs. */
  const stall = (t: number) => {
    now = t;
    while (pending && pending.at <= t) {
      const p = pending;
      pending = null;
      p.fn();
    }
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
  return { scans, released, press, type, advanceTo, stall, typedText: () => released.join('') };
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

  describe('a page busy mid-burst (the keys arrive late, stamped when they were pressed)', () => {
    it('lets the queued keys in before a late hold timer releases anything', () => {
      const h = harness();
      h.type('TRY', 0, 5);
      h.stall(300); // the hold timer was due at 60: it runs at 300, the rest of the burst still queued
      h.type('-VALID', 15, 5, 'Enter');
      h.advanceTo(5000);
      expect(h.scans).toEqual(['TRY-VALID']);
      expect(h.released).toEqual([]);
    });

    it('takes back a release the timer made before the queued keys ran, and scans the whole code', () => {
      const h = harness();
      h.type('TRY', 0, 5);
      h.stall(300);
      h.stall(301); // even the extra turn ran before the queued keys
      expect(h.released).toEqual(['TRY']);
      h.type('-VALID', 15, 5, 'Enter');
      h.advanceTo(5000);
      expect(h.scans).toEqual(['TRY-VALID']);
      expect(h.released).toEqual([]);
    });

    it('takes back a release when only the Enter was late', () => {
      const h = harness();
      h.type('TRY-VALID', 0, 5);
      h.stall(400);
      h.stall(401);
      h.press({ key: 'Enter', time: 50 });
      expect(h.scans).toEqual(['TRY-VALID']);
      expect(h.released).toEqual([]);
    });

    it('keeps typing that merely ran late as typing', () => {
      const h = harness();
      h.press({ key: 'a', time: 0 });
      h.stall(300);
      h.stall(301);
      h.press({ key: 'b', time: 200 }); // pressed 200 ms after: a person
      h.advanceTo(1000);
      expect(h.scans).toEqual([]);
      expect(h.typedText()).toBe('ab');
    });

    it('does not take back a release the field no longer shows', () => {
      const scans: string[] = [];
      const released: string[] = [];
      let now = 0;
      let pending: (() => void) | null = null;
      const d = createWedgeDetector(
        DEFAULT_WEDGE_SETTINGS,
        { scan: (c) => scans.push(c), release: (t) => released.push(t), retract: () => false },
        { set: (fn) => (pending = fn), clear: () => (pending = null), now: () => now },
      );
      for (const [i, key] of [...'TRY'].entries()) d.key({ key, time: i * 5 });
      now = 300;
      (pending as (() => void) | null)?.();
      (pending as (() => void) | null)?.();
      for (const [i, key] of [...'-VALID'].entries()) d.key({ key, time: 15 + i * 5 });
      d.key({ key: 'Enter', time: 45 });
      expect(released[0]).toBe('TRY');
      expect(scans).toEqual(['-VALID']);
    });

    it('property: a burst stalled after any key, for any time, is one scan and types nothing', () => {
      fc.assert(
        fc.property(
          fc.stringMatching(/^[0-9A-Z-]{4,24}$/),
          fc.nat(),
          fc.integer({ min: 51, max: 2000 }),
          fc.boolean(),
          (code, at, busyMs, extraTurnLost) => {
            const h = harness();
            const stallAfter = at % code.length;
            const keys: WedgeKey[] = [...code].map((key, i) => ({ key, time: i * 4 }));
            keys.push({ key: 'Enter', time: code.length * 4 });
            keys.forEach((k, i) => {
              h.press(k);
              if (i === stallAfter) {
                h.stall(k.time + busyMs);
                if (extraTurnLost) h.stall(k.time + busyMs + 1);
              }
            });
            h.advanceTo(100_000);
            expect(h.scans).toEqual([code]);
            expect(h.released).toEqual([]);
          },
        ),
      );
    });
  });
});
