import { afterEach, describe, expect, it } from 'vitest';
import { verifySecret } from '../../domain/secrets';
import { openTestDb, testDbKinds, type TestDb } from '../testing/databases';
import { createBrand } from '../brands/brands';
import { createBranch } from '../brands/branches';
import { createCoupon, listCoupons, publishCoupon } from './coupons';
import { brandWithBranches, changesOf, countRows, rejectsWith, testDeps } from '../services/testing';

const fixed = {
  name: '全店 9 折',
  type: 'sales',
  validityMode: 'fixed',
  validFrom: '2026-03-01T00:00:00+08:00',
  validUntil: '2026-04-01T00:00:00+08:00',
};

describe.each(testDbKinds())('coupons on %s', (kind) => {
  let t: TestDb | undefined;
  afterEach(async () => t?.close());

  it('creates coupons in the three validity modes, replicated brand-wide whatever their branches', async () => {
    t = await openTestDb(kind);
    const deps = testDeps();
    const { brand, tpe } = await brandWithBranches(t.db, deps);
    const everywhere = await createCoupon(t.db, deps, brand.id, fixed);
    expect(everywhere).toMatchObject({
      status: 'draft',
      branchIds: [],
      validFrom: '2026-02-28T16:00:00.000Z',
      validUntil: '2026-03-31T16:00:00.000Z',
      durationDays: null,
      barcodeType: 'QR',
      requiresVerificationCode: false,
    });
    const fromClaim = await createCoupon(t.db, deps, brand.id, {
      name: '生日禮',
      type: 'marketing',
      validityMode: 'from_claim',
      durationDays: 30,
      barcodeType: 'EAN_13',
      fixedCode: '4711234567899',
      branchIds: [tpe.id],
      status: 'published',
    });
    expect(fromClaim).toMatchObject({
      validityMode: 'from_claim',
      durationDays: 30,
      validFrom: null,
      status: 'published',
    });
    const fromOpen = await createCoupon(t.db, deps, brand.id, {
      name: '客服券',
      type: 'customer_service',
      validityMode: 'from_open',
      durationDays: 7,
      validUntil: '2026-12-31T15:59:59Z',
      barcodeType: 'CODE_39',
      fixedCode: 'OMO-2026',
      redeemTag: 'redeemed-cs',
      usageRules: '限用一次'.repeat(250),
    });
    expect(fromOpen.usageRules).toHaveLength(1000);

    expect((await changesOf(t.db, everywhere.id)).map((c) => c.scope)).toEqual(['brand']);
    expect((await changesOf(t.db, fromClaim.id)).map((c) => c.scope)).toEqual(['brand']);
    expect((await listCoupons(t.db, brand.id)).map((c) => c.name)).toEqual(['全店 9 折', '生日禮', '客服券']);
  });

  it('keeps the verification code write-only', async () => {
    t = await openTestDb(kind);
    const deps = testDeps();
    const { brand } = await brandWithBranches(t.db, deps);
    const coupon = await createCoupon(t.db, deps, brand.id, { ...fixed, verificationCode: 'VIP2468' });
    expect(coupon.requiresVerificationCode).toBe(true);
    expect(JSON.stringify([coupon, await listCoupons(t.db, brand.id)])).not.toMatch(
      /VIP2468|scrypt|verificationCode"/,
    );
    const stored = await t.db('coupons').where({ id: coupon.id }).first();
    expect(verifySecret('VIP2468', stored.verification_code_hash)).toBe(true);
    const [change] = await changesOf(t.db, coupon.id);
    expect(JSON.stringify(change!.data)).not.toContain('VIP2468');
  });

  it('publishes a draft once', async () => {
    t = await openTestDb(kind);
    const deps = testDeps();
    const { brand } = await brandWithBranches(t.db, deps);
    const draft = await createCoupon(t.db, deps, brand.id, fixed);
    deps.clock.advance(60_000);
    const published = await publishCoupon(t.db, deps, draft.id);
    expect(published).toMatchObject({ status: 'published', updatedAt: '2026-03-01T02:01:00.000Z' });
    expect(await publishCoupon(t.db, deps, draft.id)).toEqual(published);
    const changes = await changesOf(t.db, draft.id);
    expect(changes.map((c) => (c.data as { status: string }).status)).toEqual(['draft', 'published']);
    await rejectsWith(publishCoupon(t.db, deps, 'missing'), 'NOT_FOUND');
  });

  it('refuses bad coupons and writes nothing', async () => {
    t = await openTestDb(kind);
    const deps = testDeps();
    const { brand } = await brandWithBranches(t.db, deps);
    const other = await createBrand(t.db, deps, { name: 'Other' });
    const foreign = await createBranch(t.db, deps, other.id, { name: 'Else', code: 'ELS' });
    await createCoupon(t.db, deps, brand.id, { ...fixed, fixedCode: 'TAKEN01' });
    const before = await countRows(t.db);

    const invalid: [unknown, string][] = [
      [{ ...fixed, validFrom: undefined }, 'validFrom'],
      [{ ...fixed, validUntil: fixed.validFrom }, 'validUntil'],
      [{ ...fixed, validFrom: 'tomorrow' }, 'validFrom'],
      [{ ...fixed, durationDays: 3 }, 'durationDays'],
      [{ ...fixed, validityMode: 'from_claim' }, 'durationDays'],
      [{ ...fixed, validityMode: 'from_open', durationDays: 3651 }, 'durationDays'],
      [{ ...fixed, name: '' }, 'name'],
      [{ ...fixed, type: 'loyalty' }, 'type'],
      [{ ...fixed, usageRules: 'x'.repeat(1001) }, 'usageRules'],
      [{ ...fixed, barcodeType: 'EAN_13', fixedCode: '4711234567890' }, 'fixedCode'],
      [{ ...fixed, barcodeType: 'CODE_39', fixedCode: 'omo-2026' }, 'fixedCode'],
      [{ ...fixed, verificationCode: '12' }, 'verificationCode'],
      [{ ...fixed, barcodeType: 'NONE', redeemTag: 'vip' }, 'redeemTag'],
      [{ ...fixed, status: 'archived' }, 'status'],
      [{ ...fixed, colour: 'red' }, ''],
    ];
    for (const [input, path] of invalid) {
      const details = await rejectsWith(createCoupon(t.db, deps, brand.id, input), 'VALIDATION_FAILED');
      expect(details.issues, JSON.stringify(input)).toEqual(
        expect.arrayContaining([expect.objectContaining({ path })]),
      );
    }
    await rejectsWith(createCoupon(t.db, deps, brand.id, { ...fixed, branchIds: [foreign.id] }), 'NOT_FOUND');
    await rejectsWith(
      createCoupon(t.db, deps, brand.id, { ...fixed, fixedCode: 'TAKEN01' }),
      'ALREADY_EXISTS',
    );
    await rejectsWith(createCoupon(t.db, deps, 'missing', fixed), 'NOT_FOUND');
    expect(await countRows(t.db)).toEqual(before);
  });
});
