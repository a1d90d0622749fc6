import { afterEach, describe, expect, it } from 'vitest';
import { openTestDb, testDbKinds, type TestDb } from '../testing/databases';
import { createBrand, listBrands } from './brands';
import { createBranch, listBranches } from './branches';
import { changesOf, countRows, rejectsWith, testDeps } from '../services/testing';

describe.each(testDbKinds())('brands and branches on %s', (kind) => {
  let t: TestDb | undefined;
  afterEach(async () => t?.close());

  it('creates a brand with defaults and records it for every device of the brand', async () => {
    t = await openTestDb(kind);
    const deps = testDeps();
    const brand = await createBrand(t.db, deps, { name: '  OMO 示範品牌 ' });
    expect(brand).toMatchObject({ name: 'OMO 示範品牌', timeZone: 'Asia/Taipei', verifyMaxAttempts: 5 });
    expect(await listBrands(t.db)).toEqual([brand]);
    const changes = await changesOf(t.db, brand.id);
    expect(changes).toEqual([
      { scope: 'brand', op: 'upsert', data: expect.objectContaining({ name: 'OMO 示範品牌' }) },
    ]);
  });

  it('refuses a bad brand and writes nothing', async () => {
    t = await openTestDb(kind);
    const before = await countRows(t.db);
    const details = await rejectsWith(
      createBrand(t.db, testDeps(), { name: '', timeZone: 'Mars/Olympus' }),
      'VALIDATION_FAILED',
    );
    expect(details.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'name' }),
        expect.objectContaining({ path: 'timeZone' }),
      ]),
    );
    expect(await countRows(t.db)).toEqual(before);
  });

  it('creates branches with upper-case codes unique per brand', async () => {
    t = await openTestDb(kind);
    const deps = testDeps();
    const brand = await createBrand(t.db, deps, { name: 'B' });
    const other = await createBrand(t.db, deps, { name: 'Other' });
    const tpe = await createBranch(t.db, deps, brand.id, { name: '台北信義店', code: 'tpe' });
    expect(tpe.code).toBe('TPE');
    expect((await changesOf(t.db, tpe.id)).map((c) => c.scope)).toEqual(['brand']);
    // Another brand may use the same code.
    await createBranch(t.db, deps, other.id, { name: 'Taipei', code: 'TPE' });

    const before = await countRows(t.db);
    await rejectsWith(createBranch(t.db, deps, brand.id, { name: 'Again', code: 'Tpe' }), 'ALREADY_EXISTS');
    await rejectsWith(createBranch(t.db, deps, 'nope', { name: 'X', code: 'XX' }), 'NOT_FOUND');
    await rejectsWith(createBranch(t.db, deps, brand.id, { name: 'X', code: 'T' }), 'VALIDATION_FAILED');
    expect(await countRows(t.db)).toEqual(before);
    expect((await listBranches(t.db, brand.id)).map((b) => b.code)).toEqual(['TPE']);
  });
});
