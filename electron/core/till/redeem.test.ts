import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode, type AppError } from '../../../backend-sync/domain/errors';
import { setMeta } from '../store/meta';
import { writeTransaction } from '../store/transaction';
import { TillErrorCode } from './errors';
import { brand, lastAttention, openTillFixture, pullChanges, VERIFY_CODE } from '../../testing/till';

type Fixture = Awaited<ReturnType<typeof openTillFixture>>;

const refusal = async (p: Promise<unknown>): Promise<AppError> => {
  try {
    await p;
  } catch (err) {
    return err as AppError;
  }
  throw new Error('expected the call to be refused');
};

describe('till.redeem', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await openTillFixture();
  });
  afterEach(() => f.close());

  const redeem = (claimId: string, scannedCode: string, verificationCode?: string) =>
    f.call['till.redeem']({ claimId, scannedCode, ...(verificationCode ? { verificationCode } : {}) });
  const counts = async () => ({
    redemptions: Number(((await f.db('till_redemptions').count({ n: '*' }).first()) as { n: number }).n),
    outbox: (await f.db('outbox').orderBy('seq').select('kind', 'subject', 'status', 'payload')) as {
      kind: string;
      subject: string | null;
      status: string;
      payload: string;
    }[],
    claimRedeemedAt: (
      (await f.db('claims').where({ id: 'cl-fixed' }).first('redeemed_at')) as { redeemed_at: string | null }
    ).redeemed_at,
  });

  it('commits the redemption, the claim mirror and the outbox mutation together, then says redeemed', async () => {
    const view = await redeem('cl-fixed', 'FX0001');
    expect(view).toMatchObject({
      claimId: 'cl-fixed',
      code: 'FX0001',
      couponName: '春季折價券',
      customerName: '陳美麗',
      redeemedAt: '2026-03-10T04:00:00.000Z',
      branchName: '信義店',
      deviceName: '櫃台 1',
      staffName: '王小明',
      ownDevice: true,
      syncState: 'queued',
      conflict: null,
    });
    // The answer is built from what the transaction wrote; it is what the history reads back.
    const listed = await f.call['till.history']({ scope: 'device', limit: 10, offset: 0 });
    expect(listed.items).toEqual([view]);
    const after = await counts();
    expect(after.redemptions).toBe(1);
    expect(after.claimRedeemedAt).toBe('2026-03-10T04:00:00.000Z');
    expect(after.outbox).toEqual([
      {
        kind: 'redemption.create',
        subject: 'claim:cl-fixed',
        status: 'queued',
        payload: JSON.stringify({
          claimId: 'cl-fixed',
          couponId: 'c-fixed',
          staffId: 'staff-asc',
          signInId: 'signin-staff-asc',
          scannedCode: 'FX0001',
        }),
      },
    ]);
    expect(f.nudges()).toBeGreaterThan(0);
    await lastAttention(f, 0);

    // Scanned again: already redeemed, here, by me, still waiting to sync.
    expect(await f.call['till.scan']({ input: 'FX0001', origin: 'wedge' })).toMatchObject({
      verdict: 'already_redeemed',
      redeemed: { deviceName: '櫃台 1', staffName: '王小明', pendingSync: true },
    });
    expect((await refusal(redeem('cl-fixed', 'FX0001'))).code).toBe(TillErrorCode.ALREADY_REDEEMED);
  });

  it('leaves nothing behind when the transaction fails before its commit', async () => {
    f.faults.current = (point) => {
      if (point === 'redeem:before-commit') throw new Error('power cut');
    };
    await expect(redeem('cl-fixed', 'FX0001')).rejects.toThrow('power cut');
    expect(await counts()).toEqual({ redemptions: 0, outbox: [], claimRedeemedAt: null });
    f.faults.current = () => {};
    expect((await redeem('cl-fixed', 'FX0001')).syncState).toBe('queued');
  });

  it('names the branch and device as the history does, also right after a pulled rename', async () => {
    const history = async (id: string) =>
      (await f.call['till.history']({ scope: 'device', limit: 10, offset: 0 })).items.find(
        (i) => i.id === id,
      );
    const first = await redeem('cl-fixed', 'FX0001');
    expect(first).toMatchObject({ branchName: '信義店', deviceName: '櫃台 1', staffName: '王小明' });
    expect(await history(first.id)).toMatchObject({ branchName: '信義店', deviceName: '櫃台 1' });

    // The names are kept in memory; a pulled branch or device change replaces them at once.
    await pullChanges(f, [
      {
        seq: 1,
        entity: 'device',
        op: 'upsert',
        id: 'device-a1',
        data: { id: 'device-a1', brandId: 'brand-1', branchId: 'branch-a', name: '櫃台 9' },
      },
    ]);
    const second = await redeem('cl-fixed2', 'FX0002');
    expect(second.deviceName).toBe('櫃台 9');
    expect(await history(second.id)).toMatchObject({ deviceName: '櫃台 9' });
  });

  it('needs a signed-in staff member', async () => {
    f.signIn(null);
    expect((await refusal(redeem('cl-fixed', 'FX0001'))).code).toBe(ErrorCode.NOT_SIGNED_IN);
    expect((await counts()).redemptions).toBe(0);
  });

  it('refuses what is not valid with a code per verdict, writing nothing', async () => {
    expect((await refusal(redeem('cl-draft', 'DR0001'))).code).toBe(TillErrorCode.COUPON_DRAFT);
    expect((await refusal(redeem('cl-b', 'BB0001'))).code).toBe(TillErrorCode.BRANCH_MISMATCH);
    expect(await refusal(redeem('cl-redeemed', 'RD0001'))).toMatchObject({
      code: TillErrorCode.ALREADY_REDEEMED,
      details: { redeemedAt: '2026-03-09T03:00:00.000Z', deviceId: 'device-a2' },
    });
    expect((await refusal(redeem('cl-claim', 'CC0001'))).code).toBe(TillErrorCode.COUPON_EXPIRED);
    f.clock.set('2026-02-28T15:59:59.999Z');
    expect((await refusal(redeem('cl-fixed', 'FX0001'))).code).toBe(TillErrorCode.COUPON_NOT_YET_VALID);
    expect((await refusal(redeem('no-such-claim', 'X'))).code).toBe(ErrorCode.NOT_FOUND);
    expect(await counts()).toEqual({ redemptions: 0, outbox: [], claimRedeemedAt: null });
  });

  it('refuses with OFFLINE_TOO_LONG once offline past the brand limit', async () => {
    await writeTransaction(f.db, (trx) => setMeta(trx, { offlineSince: '2026-03-07T03:59:59.999Z' }));
    expect(await refusal(redeem('cl-fixed', 'FX0001'))).toMatchObject({
      code: TillErrorCode.OFFLINE_TOO_LONG,
      details: { limitHours: 72 },
    });
    expect((await counts()).redemptions).toBe(0);
    await writeTransaction(f.db, (trx) => setMeta(trx, { offlineSince: '2026-03-07T04:00:00.000Z' }));
    expect((await redeem('cl-fixed', 'FX0001')).syncState).toBe('queued');

    // The rules are kept in memory; a pulled brand change replaces them at once.
    await pullChanges(f, [
      { seq: 1, entity: 'brand', op: 'upsert', id: 'brand-1', data: brand({ offlineRedeemLimitHours: 24 }) },
    ]);
    expect(await refusal(redeem('cl-fixed2', 'FX0002'))).toMatchObject({
      code: TillErrorCode.OFFLINE_TOO_LONG,
      details: { limitHours: 24 },
    });
    expect(await f.call['till.scan']({ input: 'FX0002', origin: 'wedge' })).toMatchObject({
      offlineTooLong: true,
    });
  });

  it('checks the verification code offline; 5 wrong codes lock the coupon here for 5 minutes', async () => {
    expect((await refusal(redeem('cl-verify', 'VF0001'))).code).toBe(TillErrorCode.VERIFICATION_REQUIRED);
    for (let left = 4; left >= 1; left--) {
      expect(await refusal(redeem('cl-verify', 'VF0001', '9753'))).toMatchObject({
        code: TillErrorCode.VERIFICATION_WRONG,
        details: { attemptsLeft: left },
      });
    }
    expect(await refusal(redeem('cl-verify', 'VF0001', '9753'))).toMatchObject({
      code: TillErrorCode.VERIFICATION_LOCKED,
      details: { retryAt: '2026-03-10T04:05:00.000Z' },
    });
    // Every failure is committed and queued for the hub; the typed code is kept nowhere.
    const failures = await f.db('till_verification_failures').select('coupon_id', 'staff_id');
    expect(failures).toHaveLength(5);
    const queued = (await f
      .db('outbox')
      .where({ kind: 'verification.failure', status: 'queued' })
      .select('payload')) as {
      payload: string;
    }[];
    expect(queued).toHaveLength(5);
    expect(JSON.parse(queued[0]!.payload)).toEqual({
      couponId: 'c-verify',
      staffId: 'staff-asc',
      signInId: 'signin-staff-asc',
      scannedCode: 'VF0001',
    });
    expect(JSON.stringify(await f.db('outbox').select())).not.toContain('9753');

    // Locked: even the right code waits; the scan shows the lock; other claims of the coupon too.
    expect((await refusal(redeem('cl-verify2', 'VF0002', VERIFY_CODE))).code).toBe(
      TillErrorCode.VERIFICATION_LOCKED,
    );
    expect((await f.call['till.scan']({ input: 'VF0002', origin: 'wedge' })).coupon?.lockedUntil).toBe(
      '2026-03-10T04:05:00.000Z',
    );
    f.clock.advance(5 * 60 * 1000 - 1);
    expect((await refusal(redeem('cl-verify', 'VF0001', VERIFY_CODE))).code).toBe(
      TillErrorCode.VERIFICATION_LOCKED,
    );
    f.clock.advance(1);
    expect((await f.call['till.scan']({ input: 'VF0001', origin: 'wedge' })).coupon?.lockedUntil).toBeNull();
    // After the lock a wrong code starts a fresh count; the right one redeems.
    expect(await refusal(redeem('cl-verify', 'VF0001', '1111'))).toMatchObject({
      details: { attemptsLeft: 4 },
    });
    expect((await redeem('cl-verify', 'VF0001', VERIFY_CODE)).syncState).toBe('queued');
    expect(await f.db('till_verify_attempts').select()).toEqual([]);
  });
});
