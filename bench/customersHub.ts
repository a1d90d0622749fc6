/**
 * A hub (SQLite) holding what a new console of a large branch must sync first: 100,000 customers
 * bound to the branch's sales manager and associates, and 1,000,000 claims of a brand-wide coupon
 * (each customer holds ten; one in twenty already redeemed at the branch).
 *
 * The brand, branch, manager (real PIN hash), device (pairing code) and coupon go through the
 * test fixtures (hub/testing/fixtures.ts), each with its change row. The bulk — associates,
 * customers with their binding history, claims — is written straight into the hub's tables with
 * prepared statements in one transaction, in exactly the row shapes and with exactly the change
 * rows the hub's own writers produce: rows mapped by hub/db/rows.ts, customer scopes by
 * customers/replication.ts customerChanges, claims brand-wide (couponScopes), change rows as
 * db/batchedChanges.ts recordChanges writes them. Going through the admin API would take minutes.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { manualClock } from '../backend-sync/domain/clock';
import { hashSecret } from '../backend-sync/domain/secrets';
import { couponScopes, type ChangeInput, type Scope } from '../backend-sync/hub/db/changes';
import { openHubDb } from '../backend-sync/hub/db';
import { toClaimRow, toStaffRow } from '../backend-sync/hub/db/rows';
import { generateClaimCode, generateClaimToken } from '../backend-sync/hub/readableCodes';
import { seededPrng } from '../backend-sync/hub/demo/prng';
import { customerChanges } from '../backend-sync/hub/customers/replication';
import {
  insertBranch,
  insertBrand,
  insertCoupon,
  insertDevice,
  insertStaff,
} from '../backend-sync/hub/testing/fixtures';
import {
  BENCH_BRANCH,
  BENCH_BRAND,
  BENCH_MANAGER,
  benchStaff,
  timeOrderedId,
  type BenchCustomer,
} from './customersData';

export const HUB_DEVICE = { id: 'device-cust-bench', pairingCode: 'BNCH-SYNC' };
const COUPON_ID = 'coupon-cust-bench';
const OTHER_BRANCH = { id: 'branch-cust-other', name: 'Mong Kok', code: 'MK' };
const REDEEMED_EVERY = 20;

export interface SeededHub {
  /** What the console's first sync must end up holding. */
  expected: { claims: number; teamCustomers: number; managerCustomers: number };
}

export async function seedHub(
  dataDir: string,
  customers: readonly BenchCustomer[],
  claims: number,
  now: Date,
): Promise<SeededHub> {
  const clock = manualClock(now.toISOString());
  const knex = await openHubDb({ dataDir });
  try {
    await insertBrand(knex, clock, BENCH_BRAND);
    await insertBranch(knex, clock, { ...BENCH_BRANCH, brandId: BENCH_BRAND.id });
    await insertBranch(knex, clock, { ...OTHER_BRANCH, brandId: BENCH_BRAND.id });
    await insertStaff(knex, clock, {
      ...BENCH_MANAGER,
      brandId: BENCH_BRAND.id,
      branchId: BENCH_BRANCH.id,
      role: 'sales_manager',
    });
    await insertDevice(knex, clock, {
      id: HUB_DEVICE.id,
      brandId: BENCH_BRAND.id,
      branchId: BENCH_BRANCH.id,
      name: 'Counter 1',
      pairingCode: HUB_DEVICE.pairingCode,
    });
    await insertCoupon(knex, clock, {
      id: COUPON_ID,
      brandId: BENCH_BRAND.id,
      name: 'Member welcome drink',
      branchIds: [],
    });
  } finally {
    await knex.destroy();
  }

  const db = new Database(path.join(dataDir, 'hub.sqlite'));
  try {
    db.pragma('journal_mode = WAL');
    // The claims' random codes and tokens go into large indexes: a big cache makes seeding quick.
    db.pragma('cache_size = -524288');
    const at = now.toISOString();
    const insertChange = db.prepare(
      `INSERT INTO changes (brand_id, scope, entity, entity_id, op, data, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    const record = (change: ChangeInput) => {
      const data = change.op === 'upsert' ? JSON.stringify(change.data) : null;
      for (const scope of new Set(change.scopes))
        insertChange.run(
          change.brandId,
          scope,
          change.entity,
          change.id,
          change.op,
          data,
          change.at.toISOString(),
        );
    };
    const insertStaffRow = db.prepare(
      `INSERT INTO staff (id, brand_id, branch_id, role, staff_code, display_name, pin_hash, active, created_at)
       VALUES (@id, @brand_id, @branch_id, @role, @staff_code, @display_name, @pin_hash, 1, @created_at)`,
    );
    const insertCustomer = db.prepare(
      `INSERT INTO customers (id, brand_id, channel, channel_user_id, display_name, phone, avatar_url,
         bound_staff_id, bound_branch_id, bound_at, created_at)
       VALUES (@id, @brand_id, @channel, @channel_user_id, @display_name, @phone, @avatar_url,
         @bound_staff_id, @bound_branch_id, @bound_at, @created_at)`,
    );
    const insertHistory = db.prepare(
      `INSERT INTO binding_history (customer_id, from_staff_id, to_staff_id, channel, source, at)
       VALUES (?, NULL, ?, ?, 'webhook', ?)`,
    );
    const insertClaim = db.prepare(
      `INSERT INTO claims (id, brand_id, coupon_id, customer_id, code, claim_token, claimed_at, opened_at,
         redeemed_at, redeemed_branch_id, redeemed_device_id, redeemed_staff_id, redemption_id,
         redeemed_staff_name)
       VALUES (@id, @brand_id, @coupon_id, @customer_id, @code, @claim_token, @claimed_at, @opened_at,
         @redeemed_at, @redeemed_branch_id, @redeemed_device_id, @redeemed_staff_id, NULL,
         @redeemed_staff_name)`,
    );
    const staff = benchStaff();
    const associates = staff.filter((s) => s.id !== BENCH_MANAGER.id);
    // Associates never sign in here: one hash serves them all (scrypt costs ~0.1 s each).
    const pinHash = hashSecret('0000');
    const branchScope: Scope = `branch:${BENCH_BRANCH.id}`;
    db.transaction(() => {
      for (const s of associates) {
        const row = {
          id: s.id,
          brand_id: BENCH_BRAND.id,
          branch_id: BENCH_BRANCH.id,
          role: s.role,
          staff_code: s.staffCode,
          display_name: s.displayName,
          pin_hash: pinHash,
          active: 1,
          created_at: at,
        };
        insertStaffRow.run(row);
        record({
          brandId: BENCH_BRAND.id,
          scopes: [branchScope],
          entity: 'staff',
          id: s.id,
          op: 'upsert',
          data: toStaffRow(row),
          at: now,
        });
      }
      for (const c of customers) {
        insertCustomer.run(c.row);
        insertHistory.run(c.row.id, c.row.bound_staff_id, c.row.channel, c.row.bound_at);
        for (const change of customerChanges(null, c.row, now, c.history)) record(change);
      }
      const claimedAt = new Date(now.getTime() - 86_400_000).toISOString();
      const redeemedAt = new Date(now.getTime() - 3_600_000).toISOString();
      // Random codes and tokens as the hub makes them (coupons/claims.ts), seeded.
      const prng = seededPrng(1_000_003);
      const codes = new Set<string>();
      for (let i = 1; i <= claims; i += 1) {
        let code: string;
        do code = generateClaimCode('CODE_128', prng.bytes);
        while (codes.has(code));
        codes.add(code);
        const customer = customers[i % customers.length]!;
        const redeemer = associates[i % associates.length]!;
        const redeemed = i % REDEEMED_EVERY === 0;
        const row = {
          id: timeOrderedId(now.getTime() - 86_400_000, i),
          brand_id: BENCH_BRAND.id,
          coupon_id: COUPON_ID,
          customer_id: customer.row.id,
          code,
          claim_token: generateClaimToken(prng.bytes),
          claimed_at: claimedAt,
          opened_at: i % 3 === 0 ? claimedAt : null,
          redeemed_at: redeemed ? redeemedAt : null,
          redeemed_branch_id: redeemed ? BENCH_BRANCH.id : null,
          redeemed_device_id: redeemed ? HUB_DEVICE.id : null,
          redeemed_staff_id: redeemed ? redeemer.id : null,
          redeemed_staff_name: redeemed ? redeemer.displayName : null,
        };
        insertClaim.run(row);
        record({
          brandId: BENCH_BRAND.id,
          scopes: couponScopes(),
          entity: 'claim',
          id: row.id,
          op: 'upsert',
          data: toClaimRow(row, customer.row.display_name),
          at: now,
        });
      }
    })();
  } finally {
    db.close();
  }
  return {
    expected: {
      claims,
      teamCustomers: customers.length,
      managerCustomers: customers.filter((c) => c.row.bound_staff_id === BENCH_MANAGER.id).length,
    },
  };
}
