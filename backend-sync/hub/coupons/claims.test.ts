import { afterEach, describe, expect, it } from 'vitest';
import { isValidEan13 } from '../../domain/symbology';
import { openTestDb, testDbKinds, type TestDb } from '../testing/databases';
import { createClaim, createClaimsBulk, listClaims } from './claims';
import { createCoupon } from './coupons';
import { createCustomer } from '../customers/customers';
import { createStaff } from '../staff/staff';
import { brandWithBranches, changesOf, countRows, rejectsWith, testDeps } from '../services/testing';

const coupon = (extra: Record<string, unknown> = {}) => ({
  name: 'C',
  type: 'sales',
  validityMode: 'from_claim',
  durationDays: 30,
  status: 'published',
  ...extra,
});

describe.each(testDbKinds())('claims on %s', (kind) => {
  let t: TestDb | undefined;
  afterEach(async () => t?.close());

  async function setup() {
    t = await openTestDb(kind);
    const deps = testDeps();
    const { brand, tpe, txg } = await brandWithBranches(t.db, deps);
    const associate = await createStaff(t.db, deps, brand.id, {
      role: 'sales_associate',
      branchId: tpe.id,
      staffCode: 'S001',
      displayName: '林小美',
      pin: '1111',
    });
    const customer = await createCustomer(t.db, deps, brand.id, {
      channel: 'line',
      channelUserId: 'U123',
      displayName: '陳怡君',
      boundStaffId: associate.id,
    });
    return { db: t.db, deps, brand, tpe, txg, customer };
  }

  it('issues a claim with a generated code, a token and the clock time', async () => {
    const { db, deps, brand, customer } = await setup();
    const qr = await createCoupon(db, deps, brand.id, coupon());
    const claim = await createClaim(db, deps, qr.id, { customerId: customer.id });
    expect(claim).toMatchObject({
      couponId: qr.id,
      brandId: brand.id,
      customerId: customer.id,
      customerName: '陳怡君',
      claimedAt: '2026-03-01T02:00:00.000Z',
      openedAt: null,
      redeemedAt: null,
    });
    expect(claim.code).toMatch(/^[A-HJ-NP-Z2-9]{10,12}$/);
    expect(Buffer.from(claim.claimToken, 'base64url').length).toBeGreaterThanOrEqual(16);

    const ean = await createCoupon(db, deps, brand.id, coupon({ barcodeType: 'EAN_13' }));
    const eanClaim = await createClaim(db, deps, ean.id, {});
    expect(isValidEan13(eanClaim.code)).toBe(true);
    expect(eanClaim.customerId).toBeNull();
  });

  it("records even a branch-limited coupon's claims brand-wide, so any till can say where it is valid", async () => {
    const { db, deps, brand, tpe } = await setup();
    const limited = await createCoupon(db, deps, brand.id, coupon({ branchIds: [tpe.id] }));
    const everywhere = await createCoupon(db, deps, brand.id, coupon());
    const a = await createClaim(db, deps, limited.id, { code: 'OMO-TPE-0001' });
    const b = await createClaim(db, deps, everywhere.id, {});
    expect((await changesOf(db, a.id)).map((c) => c.scope)).toEqual(['brand']);
    expect((await changesOf(db, b.id)).map((c) => c.scope)).toEqual(['brand']);
    expect((await changesOf(db, a.id))[0]!.data).toEqual(a);
  });

  it('refuses bad claims and writes nothing', async () => {
    const { db, deps, brand } = await setup();
    const ean = await createCoupon(db, deps, brand.id, coupon({ barcodeType: 'EAN_13' }));
    const code39 = await createCoupon(
      db,
      deps,
      brand.id,
      coupon({ barcodeType: 'CODE_39', fixedCode: 'FIXED-1' }),
    );
    await createClaim(db, deps, code39.id, { code: 'TAKEN-1' });
    const before = await countRows(db);

    await rejectsWith(createClaim(db, deps, ean.id, { code: '4711234567890' }), 'VALIDATION_FAILED');
    await rejectsWith(createClaim(db, deps, ean.id, { code: 'ABCDEFGHJK' }), 'VALIDATION_FAILED');
    await rejectsWith(createClaim(db, deps, code39.id, { code: 'lower-case' }), 'VALIDATION_FAILED');
    await rejectsWith(createClaim(db, deps, code39.id, { code: '1234567890123' }), 'VALIDATION_FAILED');
    await rejectsWith(createClaim(db, deps, code39.id, { code: 'TAKEN-1' }), 'ALREADY_EXISTS');
    await rejectsWith(createClaim(db, deps, code39.id, { code: 'FIXED-1' }), 'ALREADY_EXISTS');
    await rejectsWith(createClaim(db, deps, code39.id, { customerId: 'nobody' }), 'NOT_FOUND');
    await rejectsWith(createClaim(db, deps, 'missing', {}), 'NOT_FOUND');
    await rejectsWith(createClaim(db, deps, code39.id, { extra: 1 }), 'VALIDATION_FAILED');
    const bulk = await rejectsWith(
      createClaimsBulk(db, deps, code39.id, { claims: [{ code: 'NEW-1' }, { code: 'NEW-1' }] }),
      'VALIDATION_FAILED',
    );
    expect(bulk.issues).toEqual([{ path: 'claims.1.code', message: 'this code is listed twice' }]);
    expect(await countRows(db)).toEqual(before);
  });

  it('creates a thousand claims in one go and lists them a page at a time', async () => {
    const { db, deps, brand, customer } = await setup();
    const c = await createCoupon(db, deps, brand.id, coupon({ barcodeType: 'EAN_13' }));
    const before = await countRows(db);
    const claims = await createClaimsBulk(db, deps, c.id, {
      claims: Array.from({ length: 1000 }, (_, i) => (i % 2 ? { customerId: customer.id } : {})),
    });
    expect(new Set(claims.map((x) => x.code)).size).toBe(1000);
    expect(claims.every((x) => isValidEan13(x.code))).toBe(true);
    const after = await countRows(db);
    expect(after.claims - before.claims).toBe(1000);
    expect(after.changes - before.changes).toBe(1000);

    const page = await listClaims(db, c.id, { limit: '100', offset: '950' });
    expect(page).toMatchObject({ total: 1000, limit: 100, offset: 950 });
    expect(page.items).toHaveLength(50);
    expect(page.items.filter((x) => x.customerName === '陳怡君')).toHaveLength(25);
    await rejectsWith(listClaims(db, c.id, { limit: '0' }), 'VALIDATION_FAILED');
  });
});
