/**
 * A console store as a till of a large brand has it: 1,000,000 claims in the claims mirror,
 * bulk-inserted in ONE transaction with prepared statements, in exactly the row shape the pull
 * applier writes (electron/core/store/mirrors.ts: indexed columns + the protocol row as JSON),
 * plus the brand, branch, device, one staff member (real PIN hash) and a coupon valid now with no
 * verification code (so a redemption measures the commit, not scrypt).
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { hashSecret } from '../backend-sync/domain/secrets';
import type { BranchRow, BrandRow, ClaimRow, CouponRow, DeviceRow, StaffRow } from '../backend-sync/protocol';
import { DB_FILE_NAME, openConsoleDb } from '../electron/core/store/db';
import { staffCodeKey } from '../electron/core/store/mirrors';

export const BENCH_IDS = {
  brand: 'brand-bench',
  branch: 'branch-bench',
  device: 'device-bench',
  coupon: 'coupon-bench',
};
export const BENCH_STAFF = { staffCode: 'B001', pin: '2468' };

/** Every REDEEMED_EVERY-th claim is already redeemed (by another till of the branch). */
const REDEEMED_EVERY = 20;

export const claimCode = (i: number): string => `P${String(i).padStart(9, '0')}`;
export const isRedeemed = (i: number): boolean => i % REDEEMED_EVERY === 0;

export async function seedConsoleStore(dataDir: string, claims: number, now: Date): Promise<void> {
  // The console's own migrations create the schema; then a plain connection fills it.
  await (await openConsoleDb({ dataDir })).destroy();
  const db = new Database(path.join(dataDir, DB_FILE_NAME));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    const day = 86_400_000;
    const brand: BrandRow = {
      id: BENCH_IDS.brand,
      name: 'Bench Tea',
      timeZone: 'Asia/Taipei',
      verifyMaxAttempts: 5,
      verifyLockSeconds: 300,
      offlineRedeemLimitHours: 72,
    };
    const branch: BranchRow = { id: BENCH_IDS.branch, brandId: brand.id, name: 'Bench Branch', code: 'BB' };
    const device: DeviceRow = {
      id: BENCH_IDS.device,
      brandId: brand.id,
      branchId: branch.id,
      name: 'Bench Till',
    };
    const otherDevice: DeviceRow = { ...device, id: 'device-bench-2', name: 'Bench Till 2' };
    const staff: StaffRow = {
      id: 'staff-bench',
      brandId: brand.id,
      branchId: branch.id,
      role: 'sales_associate',
      staffCode: BENCH_STAFF.staffCode,
      displayName: 'Bench Associate',
      pinHash: hashSecret(BENCH_STAFF.pin),
      active: true,
    };
    const coupon: CouponRow = {
      id: BENCH_IDS.coupon,
      brandId: brand.id,
      name: 'Bench coupon',
      type: 'sales',
      status: 'published',
      branchIds: [],
      validityMode: 'fixed',
      validFrom: new Date(now.getTime() - 30 * day).toISOString(),
      validUntil: new Date(now.getTime() + 365 * day).toISOString(),
      durationDays: null,
      usageRules: 'One per visit.',
      barcodeType: 'CODE_128',
      fixedCode: null,
      verificationCodeHash: null,
      redeemTag: null,
    };
    const meta: Record<string, string> = {
      deviceId: device.id,
      deviceName: device.name,
      brandId: brand.id,
      brandName: brand.name,
      branchId: branch.id,
      branchName: branch.name,
      locale: 'zh-TW',
    };
    const claimedAt = new Date(now.getTime() - day).toISOString();
    const redeemedAt = new Date(now.getTime() - 3_600_000).toISOString();

    const insertClaim = db.prepare(
      `INSERT INTO claims (id, brand_id, coupon_id, customer_id, code, claim_token, redeemed_at, data)
       VALUES (?, ?, ?, NULL, ?, ?, ?, ?)`,
    );
    db.transaction(() => {
      const insertMeta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
      for (const [key, value] of Object.entries(meta)) insertMeta.run(key, value);
      db.prepare('INSERT INTO brand (id, name, data) VALUES (?, ?, ?)').run(
        brand.id,
        brand.name,
        JSON.stringify(brand),
      );
      db.prepare('INSERT INTO branches (id, brand_id, name, code, data) VALUES (?, ?, ?, ?, ?)').run(
        branch.id,
        brand.id,
        branch.name,
        branch.code,
        JSON.stringify(branch),
      );
      const insertDevice = db.prepare(
        'INSERT INTO devices (id, brand_id, branch_id, name, data) VALUES (?, ?, ?, ?, ?)',
      );
      for (const d of [device, otherDevice])
        insertDevice.run(d.id, d.brandId, d.branchId, d.name, JSON.stringify(d));
      db.prepare(
        `INSERT INTO staff (id, brand_id, branch_id, staff_code, staff_code_key, active, data)
         VALUES (?, ?, ?, ?, ?, 1, ?)`,
      ).run(
        staff.id,
        brand.id,
        branch.id,
        staff.staffCode,
        staffCodeKey(staff.staffCode),
        JSON.stringify(staff),
      );
      db.prepare(
        'INSERT INTO coupons (id, brand_id, status, fixed_code, data) VALUES (?, ?, ?, NULL, ?)',
      ).run(coupon.id, brand.id, coupon.status, JSON.stringify(coupon));
      for (let i = 1; i <= claims; i += 1) {
        const redeemed = isRedeemed(i);
        const row: ClaimRow = {
          id: `claim-${i}`,
          brandId: brand.id,
          couponId: coupon.id,
          customerId: null,
          customerName: null,
          code: claimCode(i),
          claimToken: `bench-token-${String(i).padStart(12, '0')}`,
          claimedAt,
          openedAt: null,
          redeemedAt: redeemed ? redeemedAt : null,
          redeemedBranchId: redeemed ? branch.id : null,
          redeemedDeviceId: redeemed ? otherDevice.id : null,
          redeemedStaffId: redeemed ? staff.id : null,
        };
        insertClaim.run(
          row.id,
          brand.id,
          coupon.id,
          row.code,
          row.claimToken,
          row.redeemedAt,
          JSON.stringify(row),
        );
      }
    })();
  } finally {
    db.close();
  }
}
