/**
 * A console store as a till of a large brand has it: 1,000,000 claims in the claims mirror,
 * stored in ONE transaction exactly as a pull stores them (bench/consoleStore.ts), plus the brand, branch, device, one staff member (real PIN hash) and a coupon valid now with no
 * verification code (so a redemption measures the commit, not scrypt).
 */
import { hashSecret } from '../backend-sync/domain/secrets';
import type { BranchRow, BrandRow, Change, CouponRow, DeviceRow, StaffRow } from '../backend-sync/protocol';
import { seedConsoleStore, upsert } from './consoleStore';

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

/** Claims are handed to the store this many at a time (a million Change objects at once is ~1 GiB). */
const CLAIM_BATCH = 10_000;

export async function seedTillStore(dataDir: string, claims: number, now: Date): Promise<void> {
  await seedConsoleStore(dataDir, (seed) => {
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
    seed.meta(meta);
    seed.rows([
      upsert('brand', brand),
      upsert('branch', branch),
      upsert('device', device),
      upsert('device', otherDevice),
      upsert('staff', staff),
      upsert('coupon', coupon),
    ]);
    const batch: Change[] = [];
    for (let i = 1; i <= claims; i += 1) {
      const redeemed = isRedeemed(i);
      batch.push(
        upsert('claim', {
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
        }),
      );
      if (batch.length === CLAIM_BATCH || i === claims) seed.rows(batch.splice(0));
    }
  });
}
