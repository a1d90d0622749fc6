import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimTokenQr } from '../../../backend-sync/domain/scan';
import { setMeta } from '../store/meta';
import { writeTransaction } from '../store/transaction';
import { openTillFixture } from '../../testing/till';

type Fixture = Awaited<ReturnType<typeof openTillFixture>>;

describe('till.scan: verdicts from local data', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await openTillFixture();
  });
  afterEach(() => f.close());

  const scan = (input: string, origin: 'wedge' | 'hid' | 'manual' = 'wedge') =>
    f.call['till.scan']({ input, origin });

  it('finds a claim by pack code (exact, then upper-cased) and by claim-token QR: valid, with its window', async () => {
    const byCode = await scan('FX0001\r');
    expect(byCode).toMatchObject({
      input: 'FX0001',
      origin: 'wedge',
      verdict: 'valid',
      problem: null,
      coupon: { id: 'c-fixed', name: '春季折價券', needsVerificationCode: false, lockedUntil: null },
      claim: { id: 'cl-fixed', code: 'FX0001', customerName: '陳美麗' },
      validFrom: '2026-02-28T16:00:00.000Z',
      validUntil: '2026-03-31T16:00:00.000Z',
      redeemed: null,
      offlineTooLong: false,
    });
    expect((await scan('fx0001', 'manual')).claim?.id).toBe('cl-fixed');
    const byToken = await scan(claimTokenQr('tok_cl-fixed_0123456789abcdef'));
    expect(byToken).toMatchObject({ verdict: 'valid', claim: { id: 'cl-fixed' } });
  });

  it('judges the fixed window at its edges in the brand time zone (Asia/Taipei)', async () => {
    f.clock.set('2026-02-28T15:59:59.999Z'); // 23:59:59.999 on 28 Feb in Taipei
    expect(await scan('FX0001')).toMatchObject({
      verdict: 'not_yet_valid',
      validFrom: '2026-02-28T16:00:00.000Z',
    });
    f.clock.set('2026-02-28T16:00:00.000Z');
    expect((await scan('FX0001')).verdict).toBe('valid');
    f.clock.set('2026-03-31T15:59:59.999Z');
    expect((await scan('FX0001')).verdict).toBe('valid');
    f.clock.set('2026-03-31T16:00:00.000Z'); // 1 Apr 00:00 Taipei
    expect(await scan('FX0001')).toMatchObject({
      verdict: 'expired',
      validUntil: '2026-03-31T16:00:00.000Z',
    });
  });

  it('counts a from-claim countdown in calendar days of the brand time zone', async () => {
    // Claimed 1 Mar 10:00 Taipei, 7 days: usable until 8 Mar 00:00 Taipei = 7 Mar 16:00 UTC.
    f.clock.set('2026-03-07T15:59:59.999Z');
    expect(await scan('CC0001')).toMatchObject({ verdict: 'valid', validUntil: '2026-03-07T16:00:00.000Z' });
    f.clock.set('2026-03-07T16:00:00.000Z');
    expect((await scan('CC0001')).verdict).toBe('expired');
  });

  it('says when, where and by whom a claim was redeemed, with synced names', async () => {
    expect(await scan('RD0001')).toMatchObject({
      verdict: 'already_redeemed',
      redeemed: {
        at: '2026-03-09T03:00:00.000Z',
        branchName: '信義店',
        deviceName: '櫃台 2',
        staffName: '李經理',
        pendingSync: false,
      },
    });
  });

  it("names who redeemed a claim at another branch from the claim, as that staff isn't synced here", async () => {
    expect(await scan('RD0002')).toMatchObject({
      verdict: 'already_redeemed',
      redeemed: { staffName: '陳店員', pendingSync: false },
    });
  });

  it('names the branches of a coupon for another branch; refuses drafts; knows unknown codes', async () => {
    expect(await scan('BB0001')).toMatchObject({ verdict: 'wrong_branch', branchNames: ['板橋店'] });
    expect((await scan('DR0001')).verdict).toBe('draft');
    expect(await scan('NOPE-42')).toMatchObject({ verdict: 'unknown_code', coupon: null, claim: null });
    expect((await scan(claimTokenQr('AAAAAAAAAAAAAAAAAAAAAA'))).verdict).toBe('unknown_code');
  });

  it('shows the coupon of a fixed code and asks for the claim QR', async () => {
    expect(await scan('spring2026')).toMatchObject({
      verdict: 'needs_claim_qr',
      coupon: { id: 'c-fixedcode', barcodeType: 'QR' },
      claim: null,
    });
  });

  it('rejects empty, overlong, garbage and misread input with a specific problem', async () => {
    expect(await scan('  \r')).toMatchObject({ verdict: 'invalid_input', problem: 'EMPTY' });
    expect(await scan('X'.repeat(129))).toMatchObject({ verdict: 'invalid_input', problem: 'TOO_LONG' });
    expect(await scan('AB\u0007CD')).toMatchObject({ verdict: 'invalid_input', problem: 'UNPRINTABLE' });
    expect(await scan('4006381333932')).toMatchObject({
      verdict: 'invalid_input',
      problem: 'EAN13_CHECK_DIGIT',
    });
    expect(await scan('OMO-CT1-short')).toMatchObject({
      verdict: 'invalid_input',
      problem: 'CLAIM_TOKEN_MALFORMED',
    });
  });

  it('flags a device offline for longer than the brand allows (72 h)', async () => {
    await writeTransaction(f.db, (trx) => setMeta(trx, { offlineSince: '2026-03-07T04:00:00.000Z' }));
    expect((await scan('FX0001')).offlineTooLong).toBe(false); // exactly 72 h
    f.clock.advance(1);
    expect((await scan('FX0001')).offlineTooLong).toBe(true);
  });

  it('looks claims and fixed codes up through their indexes, never a table scan', async () => {
    const plan = async (sql: string, value: string) =>
      ((await f.db.raw(`EXPLAIN QUERY PLAN ${sql}`, [value])) as { detail: string }[])
        .map((r) => r.detail)
        .join(' | ');
    for (const [sql, index] of [
      ['SELECT data FROM claims WHERE code = ? LIMIT 1', 'claims_code_index'],
      ['SELECT data FROM claims WHERE claim_token = ? LIMIT 1', 'claims_claim_token_index'],
      ['SELECT data FROM coupons WHERE fixed_code = ? LIMIT 1', 'coupons_fixed_code_index'],
    ] as const) {
      const detail = await plan(sql, 'X');
      expect(detail).toContain(`USING INDEX ${index}`);
      expect(detail).not.toMatch(/^SCAN|\| SCAN/);
    }
    // The queries the till really sends are those: knex's SQL for the lookups.
    expect(f.db('claims').where({ code: 'X' }).first('data').toString()).toBe(
      "select `data` from `claims` where `code` = 'X' limit 1",
    );
  });
});
