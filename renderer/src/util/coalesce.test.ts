import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { coalesce } from './coalesce';

describe('coalesce', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs the first call at once and a burst after it once more, at the end of the pause', () => {
    const fn = vi.fn();
    const run = coalesce(fn, 300);
    run();
    expect(fn).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 50; i++) run();
    expect(fn).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(300);
    expect(fn).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(1000);
    expect(fn).toHaveBeenCalledTimes(2);
    run();
    expect(fn).toHaveBeenCalledTimes(3);
  });

  it('drops a pending run when cancelled', () => {
    const fn = vi.fn();
    const run = coalesce(fn, 300);
    run();
    run();
    run.cancel();
    vi.advanceTimersByTime(1000);
    expect(fn).toHaveBeenCalledTimes(1);
  });
});
