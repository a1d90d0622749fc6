import { validate, version } from 'uuid';
import { describe, expect, it } from 'vitest';
import { uuidV7 } from './clock';

describe('uuidV7', () => {
  it('makes valid version-7 ids that are unique and sort in the order they were made', () => {
    // 20,000 ids in a tight loop: many share a millisecond, and the 4 KiB random pool is refilled
    // dozens of times along the way.
    const ids = Array.from({ length: 20_000 }, () => uuidV7());
    expect(ids.every((id) => validate(id) && version(id) === 7)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('carries the current time in its first 48 bits', () => {
    const before = Date.now();
    const id = uuidV7();
    const msecs = parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    expect(msecs).toBeGreaterThanOrEqual(before);
    expect(msecs).toBeLessThanOrEqual(Date.now() + 1);
  });
});
