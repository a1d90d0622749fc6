/**
 * A sales manager's console store holding the team list of a large branch: 100,000 customers in
 * `customer_list` (stream 'team:<branch>'), stored in ONE transaction exactly as a pull of that
 * list stores them (bench/consoleStore.ts), plus the brand (phone region HK), the branch and its staff (the list joins
 * them for names; the manager has a real PIN hash to sign in with) and the enrolled device's meta.
 */
import { hashSecret } from '../backend-sync/domain/secrets';
import type { BranchRow, BrandRow, StaffRow } from '../backend-sync/protocol';
import { seedConsoleStore, upsert } from './consoleStore';
import {
  BENCH_BRANCH,
  BENCH_BRAND,
  BENCH_MANAGER,
  benchStaff,
  pulledCustomer,
  type BenchCustomer,
} from './customersData';

export const TEAM_STREAM = `team:${BENCH_BRANCH.id}` as const;

/** Customers are handed to the store this many at a time. */
const CUSTOMER_BATCH = 10_000;

export async function seedCustomerStore(dataDir: string, customers: readonly BenchCustomer[]): Promise<void> {
  const brand: BrandRow = {
    id: BENCH_BRAND.id,
    name: BENCH_BRAND.name,
    timeZone: 'Asia/Hong_Kong',
    verifyMaxAttempts: 5,
    verifyLockSeconds: 300,
    offlineRedeemLimitHours: 72,
    phoneRegion: 'HK',
  };
  const branch: BranchRow = { ...BENCH_BRANCH, brandId: brand.id };
  const managerPin = hashSecret(BENCH_MANAGER.pin);
  const staff: StaffRow[] = benchStaff().map((s) => ({
    ...s,
    brandId: brand.id,
    branchId: branch.id,
    pinHash: s.id === BENCH_MANAGER.id ? managerPin : 'scrypt$not-signing-in',
    active: true,
  }));
  await seedConsoleStore(dataDir, (seed) => {
    seed.meta({
      deviceId: 'device-cust-bench',
      deviceName: 'Bench Counter',
      brandId: brand.id,
      brandName: brand.name,
      branchId: branch.id,
      branchName: branch.name,
      locale: 'zh-TW',
    });
    seed.rows([upsert('brand', brand), upsert('branch', branch), ...staff.map((s) => upsert('staff', s))]);
    for (let i = 0; i < customers.length; i += CUSTOMER_BATCH) {
      const batch = customers.slice(i, i + CUSTOMER_BATCH);
      seed.rows(
        batch.map((c) => upsert('customer', pulledCustomer(c))),
        TEAM_STREAM,
      );
    }
  });
}
