/**
 * Redeem a claim. One write transaction re-reads the claim and coupon, re-judges them, checks the
 * verification code, and writes the redemption, the claim mirror's redeemed fields and the
 * `redemption.create` outbox entry together. Only after that commit does the caller hear
 * "redeemed" (durability). A wrong verification code is itself committed (the failure
 * row and its `verification.failure` mutation) before the error is returned.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Knex } from 'knex';
import type { Clock, IdGenerator } from '../../../backend-sync/domain/clock';
import { AppError, ErrorCode } from '../../../backend-sync/domain/errors';
import { verifySecret } from '../../../backend-sync/domain/secrets';
import { judgeClaim } from '../../../backend-sync/domain/verdict';
import type { ClaimRow, CouponRow } from '../../../backend-sync/protocol';
import type { RedemptionView, SignedInStaff } from '../consoleApi/contract';
import { enqueueOn } from '../outbox/outbox';
import type { Faults } from '../sync/faults';
import { writeTransactionSync } from '../store/transaction';
import { cachedPlaceNames, cachedRules, requireIdentity } from './cache';
import { isOfflineTooLong, type TillRules } from './rules';
import { notFound, TillErrorCode, verdictError } from './errors';
import { redeemStatements, type RedeemStatements } from './statements';

export interface RedeemDeps {
  db: Knex;
  /** The console's best time (time/hubClock.ts): validity, the offline limit and the lock judge by it. */
  clock: Clock;
  ids: IdGenerator;
  faults: Faults;
  /** True while that time cannot be trusted (time/hubClock.ts): redeeming is refused. */
  timeUntrusted?: () => boolean;
}

export interface RedeemInput {
  claimId: string;
  scannedCode: string;
  verificationCode?: string | undefined;
}

type Outcome = { kind: 'redeemed'; view: RedemptionView } | { kind: 'refused'; error: AppError };

/**
 * Returns the new redemption as the till shows it (queued); the outbox has the mutation when this
 * resolves. The view is built from what the transaction read and wrote, not read back.
 *
 * The transaction is synchronous on the store's connection (writeTransactionSync): everything it
 * needs besides the rows is read first — the device identity, brand rules and names, all cached.
 */
export async function redeemClaim(
  deps: RedeemDeps,
  staff: SignedInStaff,
  input: RedeemInput,
): Promise<RedemptionView> {
  if (deps.timeUntrusted?.()) {
    throw new AppError(
      TillErrorCode.CLOCK_UNTRUSTED,
      "This console's clock was set back and its time cannot be trusted; reconnect to the hub before redeeming.",
    );
  }
  const me = await requireIdentity(deps.db);
  const rules = await cachedRules(deps.db, me.brandId);
  const names = await cachedPlaceNames(deps.db, me);
  const outcome = writeTransactionSync(deps.db, (conn): Outcome => {
    const now = deps.clock.now();
    const sql = redeemStatements(conn);
    const read = sql.read(input.claimId);
    if (!read) throw notFound('Claim');
    if (!read.coupon_data) throw notFound('Coupon');
    const claim = JSON.parse(read.claim_data) as ClaimRow;
    const coupon = JSON.parse(read.coupon_data) as CouponRow;

    const verdict = judgeClaim({ coupon, claim, branchId: me.branchId, now, timeZone: rules.timeZone });
    if (verdict.kind !== 'valid') throw verdictError(verdict);
    if (isOfflineTooLong(read.offline_since, now, rules)) {
      throw new AppError(
        TillErrorCode.OFFLINE_TOO_LONG,
        'This console has been offline too long to redeem coupons; reconnect to the hub first.',
        { offlineSince: read.offline_since, limitHours: rules.offlineRedeemLimitHours },
      );
    }
    if (coupon.verificationCodeHash !== null) {
      const refusal = checkVerificationCode(conn, sql, deps, { coupon, claim, staff, rules, now, input });
      if (refusal) return { kind: 'refused', error: refusal };
    }

    const at = now.toISOString();
    const mutation = enqueueOn(
      conn,
      'redemption.create',
      {
        claimId: claim.id,
        couponId: coupon.id,
        staffId: staff.id,
        signInId: staff.signInId,
        scannedCode: input.scannedCode,
      },
      // The redemption's time and the mutation's device time are the same instant.
      { clock: { now: () => now }, ids: deps.ids, subject: `claim:${claim.id}` },
    );
    const redeemed: ClaimRow = {
      ...claim,
      redeemedAt: at,
      redeemedBranchId: me.branchId,
      redeemedDeviceId: me.deviceId,
      redeemedStaffId: staff.id,
    };
    sql.markClaimRedeemed(claim.id, at, JSON.stringify(redeemed));
    sql.insertOwnRedemption({
      id: mutation.id,
      claim_id: claim.id,
      coupon_id: coupon.id,
      branch_id: me.branchId,
      device_id: me.deviceId,
      staff_id: staff.id,
      scanned_code: input.scannedCode,
      code: claim.code,
      customer_name: claim.customerName,
      redeemed_at: at,
    });
    deps.faults('redeem:before-commit');
    return {
      kind: 'redeemed',
      // What views.ts would read back for this row: names from the mirrors (cached; the staff
      // member's from the session, which sign-in read from the staff mirror), ids when unknown.
      view: {
        id: mutation.id,
        claimId: claim.id,
        code: claim.code,
        couponName: coupon.name,
        customerName: claim.customerName,
        redeemedAt: at,
        branchName: names.branchName ?? me.branchId,
        deviceName: names.deviceName ?? me.deviceId,
        staffName: staff.displayName,
        ownDevice: true,
        syncState: 'queued',
        conflict: null,
      },
    };
  });
  const done = await outcome;
  if (done.kind === 'refused') throw done.error;
  deps.faults('redeem:after-commit');
  return done.view;
}

/**
 * Checks the typed code against the synced hash. Locked → refused without counting; missing →
 * refused; wrong → the failure is written (and counted towards the lock) in this transaction,
 * which the caller commits before refusing; right → the failure count starts again.
 */
function checkVerificationCode(
  conn: BetterSqlite3.Database,
  sql: RedeemStatements,
  deps: RedeemDeps,
  ctx: {
    coupon: CouponRow;
    claim: ClaimRow;
    staff: SignedInStaff;
    rules: TillRules;
    now: Date;
    input: RedeemInput;
  },
): AppError | null {
  const { coupon, rules, now } = ctx;
  const attempts = sql.verifyAttempts(coupon.id);
  if (attempts?.locked_until && Date.parse(attempts.locked_until) > now.getTime()) {
    throw lockedError(attempts.locked_until);
  }
  const typed = ctx.input.verificationCode?.trim() ?? '';
  if (typed === '') {
    throw new AppError(TillErrorCode.VERIFICATION_REQUIRED, 'This coupon needs its verification code.');
  }
  if (verifySecret(typed, coupon.verificationCodeHash!)) {
    if (attempts) sql.clearVerifyAttempts(coupon.id);
    return null;
  }

  // A lock that has run out starts a fresh count.
  const lockOver = attempts?.locked_until != null;
  const failures = (attempts && !lockOver ? attempts.failures : 0) + 1;
  const lockedUntil =
    failures >= rules.verifyMaxAttempts
      ? new Date(now.getTime() + rules.verifyLockSeconds * 1000).toISOString()
      : null;
  sql.setVerifyAttempts(coupon.id, { failures, locked_until: lockedUntil });
  const mutation = enqueueOn(
    conn,
    'verification.failure',
    {
      couponId: coupon.id,
      staffId: ctx.staff.id,
      signInId: ctx.staff.signInId,
      scannedCode: ctx.input.scannedCode,
    },
    { clock: { now: () => now }, ids: deps.ids, subject: null },
  );
  sql.insertVerificationFailure({
    id: mutation.id,
    coupon_id: coupon.id,
    claim_id: ctx.claim.id,
    staff_id: ctx.staff.id,
    scanned_code: ctx.input.scannedCode,
    at: now.toISOString(),
    mutation_id: mutation.id,
  });
  if (lockedUntil) return lockedError(lockedUntil);
  return new AppError(TillErrorCode.VERIFICATION_WRONG, 'The verification code is not correct.', {
    attemptsLeft: rules.verifyMaxAttempts - failures,
  });
}

const lockedError = (retryAt: string): AppError =>
  new AppError(
    TillErrorCode.VERIFICATION_LOCKED,
    'Too many wrong verification codes for this coupon on this console; try again later.',
    { retryAt },
  );

export const requireStaff = (staff: SignedInStaff | null): SignedInStaff => {
  if (!staff) throw new AppError(ErrorCode.NOT_SIGNED_IN, 'Sign in to redeem coupons.');
  return staff;
};
