/**
 * A sales manager's console store holding the team list of a large branch: 100,000 customers in
 * `customer_list` (stream 'team:<branch>'), bulk-inserted in ONE transaction with a prepared
 * statement, each row exactly what the pull applier writes for it (store/mirrors.ts
 * customerListRow), plus the brand (phone region HK), the branch and its staff (the list joins
 * them for names; the manager has a real PIN hash to sign in with) and the enrolled device's meta.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { hashSecret } from '../backend-sync/domain/secrets';
import type { BranchRow, BrandRow, StaffRow } from '../backend-sync/protocol';
import { DB_FILE_NAME, openConsoleDb } from '../electron/core/store/db';
import { customerListRow, staffCodeKey } from '../electron/core/store/mirrors';
import {
  BENCH_BRANCH,
  BENCH_BRAND,
  BENCH_MANAGER,
  benchStaff,
  pulledCustomer,
  type BenchCustomer,
} from './customersData';

export const TEAM_STREAM = `team:${BENCH_BRANCH.id}` as const;

export async function seedCustomerStore(dataDir: string, customers: readonly BenchCustomer[]): Promise<void> {
  // The console's own migrations create the schema; then a plain connection fills it.
  await (await openConsoleDb({ dataDir })).destroy();
  const db = new Database(path.join(dataDir, DB_FILE_NAME));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
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
    const meta: Record<string, string> = {
      deviceId: 'device-cust-bench',
      deviceName: 'Bench Counter',
      brandId: brand.id,
      brandName: brand.name,
      branchId: branch.id,
      branchName: branch.name,
      locale: 'zh-TW',
    };
    const columns = Object.keys(customerListRow(TEAM_STREAM, pulledCustomer(customers[0]!)));
    const insertCustomer = db.prepare(
      `INSERT INTO customer_list (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`,
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
      const insertStaff = db.prepare(
        `INSERT INTO staff (id, brand_id, branch_id, staff_code, staff_code_key, active, data)
         VALUES (?, ?, ?, ?, ?, 1, ?)`,
      );
      for (const s of staff)
        insertStaff.run(s.id, brand.id, branch.id, s.staffCode, staffCodeKey(s.staffCode), JSON.stringify(s));
      for (const c of customers) insertCustomer.run(customerListRow(TEAM_STREAM, pulledCustomer(c)));
    })();
  } finally {
    db.close();
  }
}
