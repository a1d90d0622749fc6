/**
 * Test data written straight into a hub database, each replicated row with its change (like the
 * admin API would), for hub tests and console-core integration tests.
 *
 *   const t = await openTestDb('sqlite');
 *   const f = await seedFixture(t.db);            // one brand, branches A and B, …
 *   f.devices.a1.pairingCode                      // enroll over HTTP with it, or:
 *   const token = await giveDeviceToken(t.db, f.devices.a1.id);  // skip enrollment
 *   f.staff.associateA.staffCode / .pin           // sign in offline
 *   f.claims.everywhere[0].code                   // redeem at any branch
 *
 * PINs are hashed with hashSecret (scrypt), so seeding takes ~0.1 s per staff member.
 */
import type { Knex } from 'knex';
import { manualClock, type Clock } from '../../domain/clock';
import { hashSecret } from '../../domain/secrets';
import type { Role } from '../../protocol';
import { couponScopes, recordChange, scopesForBranches, type Scope } from '../db/changes';
import { toBranchRow, toBrandRow, toClaimRow, toCouponRow, toStaffRow } from '../db/rows';
import { hashDeviceToken, newDeviceToken } from '../devices/enroll';

/** Fixed start time used when no clock is given. */
export const FIXTURE_TIME = '2026-03-01T02:00:00.000Z';

const iso = (clock: Clock) => clock.now().toISOString();

export async function insertBrand(
  db: Knex,
  clock: Clock,
  brand: { id: string; name: string },
): Promise<void> {
  await db.transaction(async (trx) => {
    await trx('brands').insert({ id: brand.id, name: brand.name, created_at: iso(clock) });
    const row = await trx('brands').where({ id: brand.id }).first();
    await change(trx, clock, brand.id, ['brand'], 'brand', brand.id, toBrandRow(row));
  });
}

export async function insertBranch(
  db: Knex,
  clock: Clock,
  branch: { id: string; brandId: string; name: string; code: string },
): Promise<void> {
  await db.transaction(async (trx) => {
    await trx('branches').insert({
      id: branch.id,
      brand_id: branch.brandId,
      name: branch.name,
      code: branch.code,
      created_at: iso(clock),
    });
    const row = await trx('branches').where({ id: branch.id }).first();
    await change(trx, clock, branch.brandId, ['brand'], 'branch', branch.id, toBranchRow(row));
  });
}

export interface FixtureStaff {
  id: string;
  staffCode: string;
  pin: string;
  role: Role;
  branchId: string | null;
}

export async function insertStaff(
  db: Knex,
  clock: Clock,
  staff: FixtureStaff & { brandId: string; displayName?: string; active?: boolean },
): Promise<FixtureStaff> {
  await db.transaction(async (trx) => {
    await trx('staff').insert({
      id: staff.id,
      brand_id: staff.brandId,
      branch_id: staff.branchId,
      role: staff.role,
      staff_code: staff.staffCode,
      display_name: staff.displayName ?? `Staff ${staff.staffCode}`,
      pin_hash: hashSecret(staff.pin),
      active: staff.active ?? true,
      created_at: iso(clock),
    });
    const row = await trx('staff').where({ id: staff.id }).first();
    const scopes: Scope[] = staff.branchId ? scopesForBranches([staff.branchId]) : ['brand'];
    await change(trx, clock, staff.brandId, scopes, 'staff', staff.id, toStaffRow(row));
  });
  return {
    id: staff.id,
    staffCode: staff.staffCode,
    pin: staff.pin,
    role: staff.role,
    branchId: staff.branchId,
  };
}

/** A device awaiting enrollment (devices are not replicated, so no change). */
export async function insertDevice(
  db: Knex,
  clock: Clock,
  device: {
    id: string;
    brandId: string;
    branchId: string;
    name?: string;
    pairingCode: string;
    expiresAt?: string;
  },
): Promise<{ id: string; pairingCode: string; branchId: string }> {
  await db('devices').insert({
    id: device.id,
    brand_id: device.brandId,
    branch_id: device.branchId,
    name: device.name ?? `Till ${device.id}`,
    pairing_code: device.pairingCode,
    pairing_expires_at: device.expiresAt ?? null,
    created_at: iso(clock),
  });
  return { id: device.id, pairingCode: device.pairingCode, branchId: device.branchId };
}

/** Enrolls a device without HTTP: clears its pairing code and returns a fresh device token. */
export async function giveDeviceToken(db: Knex, deviceId: string, clock?: Clock): Promise<string> {
  const token = newDeviceToken();
  const at = (clock ?? manualClock(FIXTURE_TIME)).now().toISOString();
  await db('devices')
    .where({ id: deviceId })
    .update({ token_hash: hashDeviceToken(token), pairing_code: null, enrolled_at: at });
  return token;
}

export async function insertCoupon(
  db: Knex,
  clock: Clock,
  coupon: { id: string; brandId: string; name: string; branchIds: string[] },
): Promise<string> {
  await db.transaction(async (trx) => {
    await trx('coupons').insert({
      id: coupon.id,
      brand_id: coupon.brandId,
      name: coupon.name,
      type: 'sales',
      status: 'published',
      branch_ids: JSON.stringify(coupon.branchIds),
      validity_mode: 'from_claim',
      valid_from: null,
      valid_until: null,
      duration_days: 30,
      usage_rules: 'One per visit.',
      barcode_type: 'CODE_128',
      fixed_code: null,
      verification_code_hash: null,
      redeem_tag: null,
      created_at: iso(clock),
      updated_at: iso(clock),
    });
    const row = await trx('coupons').where({ id: coupon.id }).first();
    await change(trx, clock, coupon.brandId, couponScopes(), 'coupon', coupon.id, toCouponRow(row));
  });
  return coupon.id;
}

export interface FixtureClaim {
  id: string;
  code: string;
  claimToken: string;
  couponId: string;
}

export async function insertClaims(
  db: Knex,
  clock: Clock,
  args: { brandId: string; couponId: string; branchIds: string[]; prefix: string; count: number },
): Promise<FixtureClaim[]> {
  const claims: FixtureClaim[] = [];
  await db.transaction(async (trx) => {
    for (let i = 1; i <= args.count; i += 1) {
      const n = String(i).padStart(4, '0');
      const claim = {
        id: `${args.prefix}-claim-${n}`,
        code: `${args.prefix.toUpperCase()}${n}`,
        claimToken: `tok-${args.prefix}-${n}`,
      };
      await trx('claims').insert({
        id: claim.id,
        brand_id: args.brandId,
        coupon_id: args.couponId,
        customer_id: null,
        code: claim.code,
        claim_token: claim.claimToken,
        claimed_at: iso(clock),
      });
      const row = await trx('claims').where({ id: claim.id }).first();
      await change(trx, clock, args.brandId, couponScopes(), 'claim', claim.id, toClaimRow(row));
      claims.push({ ...claim, couponId: args.couponId });
    }
  });
  return claims;
}

async function change(
  trx: Knex.Transaction,
  clock: Clock,
  brandId: string,
  scopes: Scope[],
  entity: 'brand' | 'branch' | 'staff' | 'coupon' | 'claim',
  id: string,
  data: unknown,
): Promise<void> {
  await recordChange(trx, { brandId, scopes, entity, id, op: 'upsert', data, at: clock.now() });
}

export interface Fixture {
  brandId: string;
  branchA: string;
  branchB: string;
  staff: { admin: FixtureStaff; managerA: FixtureStaff; associateA: FixtureStaff; associateB: FixtureStaff };
  /** a1, a2 at branch A; b1 at branch B — all awaiting enrollment. */
  devices: Record<'a1' | 'a2' | 'b1', { id: string; pairingCode: string; branchId: string }>;
  coupons: { everywhere: string; onlyA: string; onlyB: string };
  claims: { everywhere: FixtureClaim[]; onlyA: FixtureClaim[]; onlyB: FixtureClaim[] };
}

/**
 * One brand "Fixture Tea" with branches A and B, four staff (brand-wide admin, manager and
 * associate at A, associate at B), three devices awaiting enrollment, three coupons (every branch,
 * only A, only B) with `claimsPerCoupon` claims each (default 3). Deterministic ids and codes.
 */
export async function seedFixture(
  db: Knex,
  clock: Clock = manualClock(FIXTURE_TIME),
  options: { claimsPerCoupon?: number } = {},
): Promise<Fixture> {
  const brandId = 'brand-fx';
  const branchA = 'branch-a';
  const branchB = 'branch-b';
  await insertBrand(db, clock, { id: brandId, name: 'Fixture Tea' });
  await insertBranch(db, clock, { id: branchA, brandId, name: 'Branch A', code: 'A' });
  await insertBranch(db, clock, { id: branchB, brandId, name: 'Branch B', code: 'B' });
  const staff = {
    admin: await insertStaff(db, clock, {
      id: 'staff-admin',
      brandId,
      branchId: null,
      role: 'admin',
      staffCode: 'ADM01',
      pin: '9000',
    }),
    managerA: await insertStaff(db, clock, {
      id: 'staff-mgr-a',
      brandId,
      branchId: branchA,
      role: 'sales_manager',
      staffCode: 'A100',
      pin: '1100',
    }),
    associateA: await insertStaff(db, clock, {
      id: 'staff-asc-a',
      brandId,
      branchId: branchA,
      role: 'sales_associate',
      staffCode: 'A101',
      pin: '1101',
    }),
    associateB: await insertStaff(db, clock, {
      id: 'staff-asc-b',
      brandId,
      branchId: branchB,
      role: 'sales_associate',
      staffCode: 'B201',
      pin: '2201',
    }),
  };
  const devices = {
    a1: await insertDevice(db, clock, {
      id: 'device-a1',
      brandId,
      branchId: branchA,
      pairingCode: 'PAIR-A1',
    }),
    a2: await insertDevice(db, clock, {
      id: 'device-a2',
      brandId,
      branchId: branchA,
      pairingCode: 'PAIR-A2',
    }),
    b1: await insertDevice(db, clock, {
      id: 'device-b1',
      brandId,
      branchId: branchB,
      pairingCode: 'PAIR-B1',
    }),
  };
  const count = options.claimsPerCoupon ?? 3;
  const coupon = async (id: string, name: string, branchIds: string[], prefix: string) => {
    await insertCoupon(db, clock, { id, brandId, name, branchIds });
    return insertClaims(db, clock, { brandId, couponId: id, branchIds, prefix, count });
  };
  const claims = {
    everywhere: await coupon('coupon-all', 'Free topping', [], 'all'),
    onlyA: await coupon('coupon-a', 'Branch A opening', [branchA], 'ca'),
    onlyB: await coupon('coupon-b', 'Branch B opening', [branchB], 'cb'),
  };
  return {
    brandId,
    branchA,
    branchB,
    staff,
    devices,
    coupons: { everywhere: 'coupon-all', onlyA: 'coupon-a', onlyB: 'coupon-b' },
    claims,
  };
}
