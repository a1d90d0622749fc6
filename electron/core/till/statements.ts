/**
 * The redemption's hot statements, prepared once per SQLite connection and run on the connection
 * that holds the caller's knex transaction: one read (claim, coupon, offlineSince, names) and the
 * three writes (outbox entry, claim mirror, till row).
 *
 * Why not knex for these: knex builds, compiles and re-prepares every statement on every call,
 * and on the commit path a cashier waits for (till.redeem_commit_ms) that cost more than the
 * statements themselves. The transaction itself stays knex's (`writeTransaction`, BEGIN
 * IMMEDIATE, COMMIT or ROLLBACK): these statements run on the very connection it holds, between
 * its BEGIN and its COMMIT, so they commit or roll back with everything else in it.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Clock, IdGenerator } from '../../../backend-sync/domain/clock';
import type { Mutation } from '../../../backend-sync/protocol';
import { newMutation } from '../outbox';
import { transactionConnection, type Trx } from '../store/transaction';

type RedeemPayload = Extract<Mutation, { kind: 'redemption.create' }>['payload'];

/** One read for everything a redemption needs besides the cached identity and rules. */
export interface RedeemRead {
  claim_data: string;
  coupon_data: string | null;
  offline_since: string | null;
  branch_name: string | null;
  device_name: string | null;
  staff_name: string | null;
}

export interface RedemptionInsert {
  id: string;
  claim_id: string;
  coupon_id: string;
  branch_id: string;
  device_id: string;
  staff_id: string;
  scanned_code: string;
  code: string;
  customer_name: string | null;
  redeemed_at: string;
}

export interface RedeemStatements {
  /** `@claimId, @branchId, @deviceId, @staffId` → the claim, its coupon, offlineSince and names. */
  read(params: {
    claimId: string;
    branchId: string;
    deviceId: string;
    staffId: string;
  }): RedeemRead | undefined;
  /**
   * The `redemption.create` outbox entry: the mutation from outbox/newMutation and exactly the row
   * outbox/enqueue writes, as one prepared insert. redeem.test.ts compares the two.
   */
  enqueueRedemption(
    payload: RedeemPayload,
    options: { clock: Clock; ids: IdGenerator; subject: string },
  ): Mutation;
  markClaimRedeemed(claimId: string, redeemedAt: string, data: string): void;
  insertOwnRedemption(row: RedemptionInsert): void;
}

const READ_SQL = `
  SELECT c.data AS claim_data,
         p.data AS coupon_data,
         (SELECT value FROM meta WHERE key = 'offlineSince') AS offline_since,
         (SELECT name FROM branches WHERE id = @branchId) AS branch_name,
         (SELECT name FROM devices WHERE id = @deviceId) AS device_name,
         (SELECT json_extract(data, '$.displayName') FROM staff WHERE id = @staffId) AS staff_name
    FROM claims c
    LEFT JOIN coupons p ON p.id = c.coupon_id
   WHERE c.id = @claimId`;

const ENQUEUE_SQL = `
  INSERT INTO outbox (id, kind, subject, payload, device_time, status, outcome, created_at, answered_at)
  VALUES (?, ?, ?, ?, ?, 'queued', NULL, ?, NULL)`;

const MARK_CLAIM_SQL = 'UPDATE claims SET redeemed_at = ?, data = ? WHERE id = ?';

// A new own redemption is queued, with nothing from the hub yet (see till/state.ts).
const INSERT_REDEMPTION_SQL = `
  INSERT INTO till_redemptions
    (id, claim_id, coupon_id, branch_id, device_id, staff_id, scanned_code, code, customer_name,
     redeemed_at, own, mutation_state, state)
  VALUES
    (@id, @claim_id, @coupon_id, @branch_id, @device_id, @staff_id, @scanned_code, @code,
     @customer_name, @redeemed_at, 1, 'queued', 'queued')`;

const prepared = new WeakMap<BetterSqlite3.Database, RedeemStatements>();

function prepare(conn: BetterSqlite3.Database): RedeemStatements {
  const read = conn.prepare(READ_SQL);
  const enqueue = conn.prepare(ENQUEUE_SQL);
  const mark = conn.prepare(MARK_CLAIM_SQL);
  const insert = conn.prepare(INSERT_REDEMPTION_SQL);
  return {
    read: (params) => read.get(params) as RedeemRead | undefined,
    enqueueRedemption(payload, options) {
      const m = newMutation('redemption.create', payload, options);
      enqueue.run(m.id, m.kind, options.subject, JSON.stringify(m.payload), m.deviceTime, m.deviceTime);
      return m;
    },
    markClaimRedeemed(claimId, redeemedAt, data) {
      if (mark.run(redeemedAt, data, claimId).changes !== 1) throw new Error(`claim ${claimId} vanished`);
    },
    insertOwnRedemption: (row) => void insert.run(row),
  };
}

/** The prepared statements of the connection `trx` holds (store/transaction.ts transactionConnection). */
export async function redeemStatements(trx: Trx): Promise<RedeemStatements> {
  const conn = await transactionConnection(trx);
  let statements = prepared.get(conn);
  if (!statements) {
    statements = prepare(conn);
    prepared.set(conn, statements);
  }
  return statements;
}
