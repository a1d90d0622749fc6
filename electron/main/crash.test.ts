import { describe, expect, it } from 'vitest';
import { bilingual, childGoneLogLevel, CRASH_LOOP_LIMIT, onRendererGone, rememberDeath } from './crash';

describe('onRendererGone', () => {
  it('reloads a crashed page and tells the staff in both languages that nothing was lost', () => {
    const decision = onRendererGone('crashed', [1000], 1000);
    expect(decision.action).toBe('reload');
    if (decision.action === 'ignore') throw new Error('unreachable');
    expect(decision.notice['zh-TW']).toContain('畫面程序當機');
    expect(decision.notice['zh-TW']).toContain('沒有遺失');
    expect(decision.notice.en).toContain('The screen process crashed; the screen was reloaded.');
    expect(decision.notice.en).toContain('nothing was lost');
    expect(bilingual(decision.notice)).toMatch(/^畫面程序當機.*\n\nThe screen process crashed/s);
  });

  it('names the cause: out of memory, killed, integrity failure', () => {
    const en = (reason: Parameters<typeof onRendererGone>[0]) => {
      const d = onRendererGone(reason, [0], 0);
      return d.action === 'ignore' ? null : d.notice.en;
    };
    expect(en('oom')).toMatch(/^The screen process ran out of memory/);
    expect(en('killed')).toMatch(/^The screen process was killed/);
    expect(en('integrity-failure')).toMatch(/integrity check/);
  });

  it('does nothing on a clean exit (the app is quitting)', () => {
    expect(onRendererGone('clean-exit', [0], 0)).toEqual({ action: 'ignore' });
  });

  it('stops reloading when the page keeps dying, and says to restart', () => {
    let deaths: number[] = [];
    const actions: string[] = [];
    for (let i = 0; i <= CRASH_LOOP_LIMIT; i++) {
      const now = i * 5_000;
      deaths = rememberDeath(deaths, now);
      actions.push(onRendererGone('crashed', deaths, now).action);
    }
    expect(actions).toEqual([...Array(CRASH_LOOP_LIMIT).fill('reload'), 'stop']);
    const stop = onRendererGone('crashed', deaths, CRASH_LOOP_LIMIT * 5_000);
    if (stop.action !== 'stop') throw new Error('expected stop');
    expect(stop.notice['zh-TW']).toContain('重新開啟');
    // A minute later the count starts again.
    const later = 10 * 60_000;
    expect(onRendererGone('crashed', rememberDeath(deaths, later), later).action).toBe('reload');
    expect(rememberDeath(deaths, later)).toEqual([later]);
  });
});

describe('childGoneLogLevel', () => {
  it('logs helper deaths as errors unless they exited cleanly', () => {
    expect(childGoneLogLevel('crashed')).toBe('error');
    expect(childGoneLogLevel('clean-exit')).toBe('info');
  });
});
