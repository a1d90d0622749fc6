import { afterEach, describe, expect, it } from 'vitest';
import { openTestDb, testDbKinds, type TestDb } from '../testing/databases';

describe.each(testDbKinds())('hub database on %s', (kind) => {
  let t: TestDb | undefined;
  afterEach(async () => t?.close());

  it('runs the migrations and can hold a brand', async () => {
    t = await openTestDb(kind);
    await t.db('brands').insert({ id: 'b1', name: 'Demo', created_at: new Date().toISOString() });
    const brand = await t.db('brands').where({ id: 'b1' }).first();
    expect(brand.time_zone).toBe('Asia/Taipei');
    expect(Number(brand.verify_max_attempts)).toBe(5);
  });
});
