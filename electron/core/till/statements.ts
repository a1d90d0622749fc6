/**
 * The redemption's statements, prepared once per SQLite connection and run synchronously inside
 * the redemption's own BEGIN IMMEDIATE … COMMIT (store/transaction.ts immediateTransaction): one
 * read (claim, coupon, offlineSince), the three writes (outbox entry, claim mirror, till
 * row), and the verification-code bookkeeping.
 *
 * Why not knex for these: knex builds, compiles and re-prepares every statement on every call,
 * and on the commit path a cashier waits for (till.redeem_commit_ms) that cost more than the
 * statements themselves.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Clock, IdGenerator } from '../../../backend-sync/domain/clock';
import type { Mutation } from '../../../backend-sync/protocol';
import { newMutation, type PayloadOf } from '../outbox/outbox';
import { preparedPer } from '../store/prepared';

/** One read for everything a redemption needs besides the cached identity, rules and names. */
export interface RedeemRead {
  claim_data: string;
  coupon_data: string | null;
  offline_since: string | null;
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
  /** The claim, its coupon and offlineSince. */
  read(claimId: string): RedeemRead | undefined;
  /**
   * An outbox entry: the mutation from outbox/newMutation and exactly the row outbox/enqueue
   * writes, as one prepared insert. redeem.test.ts compares the two.
   */
  enqueue<K extends 'redemption.create' | 'verification.failure'>(
    kind: K,
    payload: PayloadOf<K>,
    options: { clock: Clock; ids: IdGenerator; subject: string | null },
  ): Mutation;
  markClaimRedeemed(claimId: string, redeemedAt: string, data: string): void;
  insertOwnRedemption(row: RedemptionInsert): void;
  /** Wrong verification codes for a coupon on this device, and the lock (till_verify_attempts). */
  verifyAttempts(couponId: string): VerifyAttempts | undefined;
  setVerifyAttempts(couponId: string, attempts: VerifyAttempts): void;
  clearVerifyAttempts(couponId: string): void;
  insertVerificationFailure(row: VerificationFailureInsert): void;
}

export interface VerifyAttempts {
  failures: number;
  locked_until: string | null;
}

export interface VerificationFailureInsert {
  id: string;
  coupon_id: string;
  claim_id: string;
  staff_id: string;
  scanned_code: string;
  at: string;
  mutation_id: string;
}

const READ_SQL = `
  SELECT c.data AS claim_data,
         p.data AS coupon_data,
         (SELECT value FROM meta WHERE key = 'offlineSince') AS offline_since
    FROM claims c
    LEFT JOIN coupons p ON p.id = c.coupon_id
   WHERE c.id = ?`;

const ENQUEUE_SQL = `
  INSERT INTO outbox (id, kind, subject, payload, device_time, status, outcome, created_at, answered_at)
  VALUES (?, ?, ?, ?, ?, 'queued', NULL, ?, NULL)`;

const ATTEMPTS_SQL = 'SELECT failures, locked_until FROM till_verify_attempts WHERE coupon_id = ?';
const SET_ATTEMPTS_SQL = `
  INSERT INTO till_verify_attempts (coupon_id, failures, locked_until) VALUES (?, ?, ?)
  ON CONFLICT (coupon_id) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until`;
const CLEAR_ATTEMPTS_SQL = 'DELETE FROM till_verify_attempts WHERE coupon_id = ?';
const INSERT_FAILURE_SQL = `
  INSERT INTO till_verification_failures (id, coupon_id, claim_id, staff_id, scanned_code, at, mutation_id)
  VALUES (@id, @coupon_id, @claim_id, @staff_id, @scanned_code, @at, @mutation_id)`;

const MARK_CLAIM_SQL = 'UPDATE claims SET redeemed_at = ?, data = ? WHERE id = ?';

// A new own redemption is queued, with nothing from the hub yet (see till/state.ts). Positional
// parameters: binding ten by name costs more than the insert on this path.
const INSERT_REDEMPTION_SQL = `
  INSERT INTO till_redemptions
    (id, claim_id, coupon_id, branch_id, device_id, staff_id, scanned_code, code, customer_name,
     redeemed_at, own, mutation_state, state)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 'queued', 'queued')`;

const prepared = preparedPer((conn): RedeemStatements => {
  const read = conn.prepare(READ_SQL);
  const enqueue = conn.prepare(ENQUEUE_SQL);
  const mark = conn.prepare(MARK_CLAIM_SQL);
  const insert = conn.prepare(INSERT_REDEMPTION_SQL);
  const attempts = conn.prepare(ATTEMPTS_SQL);
  const setAttempts = conn.prepare(SET_ATTEMPTS_SQL);
  const clearAttempts = conn.prepare(CLEAR_ATTEMPTS_SQL);
  const insertFailure = conn.prepare(INSERT_FAILURE_SQL);
  return {
    read: (claimId) => read.get(claimId) as RedeemRead | undefined,
    enqueue(kind, payload, options) {
      const m = newMutation<typeof kind>(kind, payload, options);
      enqueue.run(m.id, m.kind, options.subject, JSON.stringify(m.payload), m.deviceTime, m.deviceTime);
      return m;
    },
    markClaimRedeemed(claimId, redeemedAt, data) {
      if (mark.run(redeemedAt, data, claimId).changes !== 1) throw new Error(`claim ${claimId} vanished`);
    },
    insertOwnRedemption: (r) =>
      void insert.run(
        r.id,
        r.claim_id,
        r.coupon_id,
        r.branch_id,
        r.device_id,
        r.staff_id,
        r.scanned_code,
        r.code,
        r.customer_name,
        r.redeemed_at,
      ),
    verifyAttempts: (couponId) => attempts.get(couponId) as VerifyAttempts | undefined,
    setVerifyAttempts: (couponId, a) => void setAttempts.run(couponId, a.failures, a.locked_until),
    clearVerifyAttempts: (couponId) => void clearAttempts.run(couponId),
    insertVerificationFailure: (row) => void insertFailure.run(row),
  };
});

/**
 * The prepared statements of `conn`. Refuses unless it is inside an open transaction: a
 * statement run outside one would commit on its own.
 */
export function redeemStatements(conn: BetterSqlite3.Database): RedeemStatements {
  if (!conn.inTransaction) throw new Error('redeemStatements needs an open transaction');
  return prepared(conn);
}
