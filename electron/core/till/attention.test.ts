import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../backend-sync/domain/errors';
import type { ClaimRow } from '../../../backend-sync/protocol';
import { attentionCount } from './attention';
import { TillErrorCode } from './errors';
import {
  claim,
  lastAttention,
  openTillFixture,
  pullChanges,
  pushWith,
  replicated,
  STAFF,
  type TillFixture,
} from '../../testing/till';

const conflictDetails = {
  redeemedAt: '2026-03-10T03:59:00.000Z',
  deviceId: 'device-a2',
  branchId: 'branch-a',
  staffId: 'staff-mgr',
  claimId: 'cl-fixed2',
};

describe('sync states and "needs attention"', () => {
  let f: TillFixture;
  beforeEach(async () => {
    f = await openTillFixture();
  });
  afterEach(() => f.close());

  const views = async () => (await f.call['till.history']({ scope: 'branch', limit: 100, offset: 0 })).items;

  it('follows the hub answers: queued → synced, queued → conflict with the winner named', async () => {
    const ok = await f.call['till.redeem']({ claimId: 'cl-fixed', scannedCode: 'FX0001' });
    const lost = await f.call['till.redeem']({ claimId: 'cl-fixed2', scannedCode: 'FX0002' });
    await pushWith(f, (m) =>
      m.id === lost.id
        ? { id: m.id, status: 'conflict', code: 'ALREADY_REDEEMED', message: 'x', details: conflictDetails }
        : { id: m.id, status: 'applied' },
    );
    await lastAttention(f, 1);
    const byId = new Map((await views()).map((v) => [v.id, v]));
    expect(byId.get(ok.id)).toMatchObject({ syncState: 'synced', conflict: null });
    expect(byId.get(lost.id)).toMatchObject({
      syncState: 'conflict',
      conflict: {
        winnerAt: '2026-03-10T03:59:00.000Z',
        winnerBranchName: '信義店',
        winnerDeviceName: '櫃台 2',
        winnerStaffName: '李經理',
        resolution: null,
      },
    });
    expect((await f.call['attention.list'](undefined)).map((v) => v.id)).toEqual([lost.id]);
    expect(await attentionCount(f.db)).toBe(1);
  });

  it("shows the branch's replicated conflicts too, and a claim the hub gave to an earlier redemption", async () => {
    const mine = await f.call['till.redeem']({ claimId: 'cl-fixed3', scannedCode: 'FX0003' });
    await pushWith(f, (m) => ({ id: m.id, status: 'applied' }));
    const other = replicated({ status: 'conflict', winnerId: mine.id });
    const moved: ClaimRow = claim('cl-fixed3', 'c-fixed', 'FX0003', {
      customerName: '50%會員',
      redeemedAt: '2026-03-10T03:00:00.000Z',
      redeemedBranchId: 'branch-a',
      redeemedDeviceId: 'device-a2',
      redeemedStaffId: 'staff-mgr',
    });
    await pullChanges(f, [
      { seq: 1, entity: 'redemption', op: 'upsert', id: other.id, data: other },
      { seq: 2, entity: 'claim', op: 'upsert', id: moved.id, data: moved },
    ]);
    const list = await f.call['attention.list'](undefined);
    expect(list.map((v) => [v.code, v.ownDevice])).toEqual([
      ['FX0003', true],
      ['CC0001', false],
    ]);
    expect(list[0]!.conflict).toMatchObject({
      winnerDeviceName: '櫃台 2',
      winnerAt: '2026-03-10T03:00:00.000Z',
    });
    // The other device's conflict lost to mine: the winner is named from my own row.
    expect(list[1]!.conflict).toMatchObject({ winnerDeviceName: '櫃台 1', winnerStaffName: '王小明' });
    await lastAttention(f, 2);
  });

  it('lets only managers resolve; the decision is local at once, queued for the hub, and undone if the hub refuses', async () => {
    const lost = await f.call['till.redeem']({ claimId: 'cl-fixed2', scannedCode: 'FX0002' });
    await pushWith(f, (m) => ({
      id: m.id,
      status: 'conflict',
      code: 'ALREADY_REDEEMED',
      message: 'x',
      details: conflictDetails,
    }));

    await expect(
      f.call['attention.resolve']({ redemptionId: lost.id, decision: 'void' }),
    ).rejects.toMatchObject({
      code: ErrorCode.FORBIDDEN,
    });
    f.signIn(null);
    await expect(
      f.call['attention.resolve']({ redemptionId: lost.id, decision: 'void' }),
    ).rejects.toMatchObject({
      code: ErrorCode.NOT_SIGNED_IN,
    });
    expect(await f.db('outbox').where({ kind: 'conflict.resolve' }).select()).toEqual([]);

    f.signIn(STAFF.manager);
    const resolved = await f.call['attention.resolve']({ redemptionId: lost.id, decision: 'acknowledge' });
    expect(resolved).toMatchObject({ syncState: 'conflict', conflict: { resolution: 'acknowledged' } });
    expect(await f.call['attention.list'](undefined)).toEqual([]);
    await lastAttention(f, 0);
    const queued = (await f
      .db('outbox')
      .where({ kind: 'conflict.resolve' })
      .select('payload', 'subject', 'status')) as {
      payload: string;
      subject: string;
      status: string;
    }[];
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({ subject: `redemption:${lost.id}`, status: 'queued' });
    expect(JSON.parse(queued[0]!.payload)).toEqual({
      redemptionId: lost.id,
      staffId: 'staff-mgr',
      signInId: 'signin-staff-mgr',
      decision: 'acknowledge',
    });
    await expect(
      f.call['attention.resolve']({ redemptionId: lost.id, decision: 'acknowledge' }),
    ).rejects.toMatchObject({
      code: TillErrorCode.CONFLICT_NOT_OPEN,
    });

    await pushWith(f, (m) => ({ id: m.id, status: 'rejected', code: 'FORBIDDEN', message: 'no' }));
    expect((await f.call['attention.list'](undefined)).map((v) => v.id)).toEqual([lost.id]);

    // The hub's own word on the resolution wins over the local one.
    await pullChanges(f, [
      {
        seq: 3,
        entity: 'redemption',
        op: 'upsert',
        id: lost.id,
        data: replicated({
          id: lost.id,
          claimId: 'cl-fixed2',
          couponId: 'c-fixed',
          deviceId: 'device-a1',
          status: 'voided',
          resolution: 'voided',
          resolvedBy: 'staff-admin',
          resolvedAt: '2026-03-10T05:00:00.000Z',
        }),
      },
    ]);
    expect(await f.call['attention.list'](undefined)).toEqual([]);
    expect((await views()).find((v) => v.id === lost.id)).toMatchObject({
      ownDevice: true,
      syncState: 'conflict',
      conflict: { resolution: 'voided' },
    });
  });

  it("lists, counts and lets a manager resolve another branch's conflict that this branch's redemption won", async () => {
    const mine = await f.call['till.redeem']({ claimId: 'cl-fixed', scannedCode: 'FX0001' });
    await pushWith(f, (m) => ({ id: m.id, status: 'applied' }));
    const fromB = {
      claimId: 'cl-fixed',
      couponId: 'c-fixed',
      branchId: 'branch-b',
      deviceId: 'device-b1',
      staffId: 'staff-b',
      scannedCode: 'FX0001',
      status: 'conflict' as const,
    };
    const lostToMine = replicated({
      ...fromB,
      id: '0190f000-0000-7000-8000-0000000000b1',
      winnerId: mine.id,
    });
    // Not ours at all (its winner is not of this branch): never listed, never resolvable here.
    const notOurs = replicated({
      ...fromB,
      id: '0190f000-0000-7000-8000-0000000000b2',
      claimId: 'cl-b',
      couponId: 'c-b',
      winnerId: '0190f000-0000-7000-8000-0000000000b3',
    });
    await pullChanges(f, [
      { seq: 1, entity: 'redemption', op: 'upsert', id: lostToMine.id, data: lostToMine },
      { seq: 2, entity: 'redemption', op: 'upsert', id: notOurs.id, data: notOurs },
    ]);
    expect(await f.call['attention.list'](undefined)).toMatchObject([
      {
        id: lostToMine.id,
        ownDevice: false,
        branchName: '板橋店',
        deviceName: 'device-b1',
        conflict: { winnerBranchName: '信義店', winnerDeviceName: '櫃台 1', winnerStaffName: '王小明' },
      },
    ]);
    expect(await attentionCount(f.db)).toBe(1);
    await lastAttention(f, 1);

    f.signIn(STAFF.manager);
    await expect(
      f.call['attention.resolve']({ redemptionId: notOurs.id, decision: 'void' }),
    ).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND });
    const voided = await f.call['attention.resolve']({ redemptionId: lostToMine.id, decision: 'void' });
    expect(voided).toMatchObject({ id: lostToMine.id, conflict: { resolution: 'voided' } });
    expect(await f.call['attention.list'](undefined)).toEqual([]);
    await lastAttention(f, 0);
  });

  it("names the winner from the pulled claim when the winner's redemption row is not replicated here", async () => {
    const mine = await f.call['till.redeem']({ claimId: 'cl-fixed2', scannedCode: 'FX0002' });
    await pushWith(f, (m) => ({ id: m.id, status: 'applied' }));
    // The hub gave the claim to an earlier redemption at branch B: first my row turns into a
    // conflict (its page ends there), then the claim with its new holder arrives.
    const lost = replicated({
      id: mine.id,
      claimId: 'cl-fixed2',
      couponId: 'c-fixed',
      deviceId: 'device-a1',
      staffId: 'staff-asc',
      scannedCode: 'FX0002',
      deviceTime: '2026-03-10T04:00:00.000Z',
      status: 'conflict',
      winnerId: '0190f000-0000-7000-8000-0000000000b9',
    });
    await pullChanges(f, [{ seq: 1, entity: 'redemption', op: 'upsert', id: lost.id, data: lost }]);
    const [before] = await f.call['attention.list'](undefined);
    expect(before).toMatchObject({ id: mine.id, conflict: { winnerAt: null, winnerDeviceName: null } });

    const held: ClaimRow = claim('cl-fixed2', 'c-fixed', 'FX0002', {
      customerName: 'Amy Wong',
      redeemedAt: '2026-03-10T03:30:00.000Z',
      redeemedBranchId: 'branch-b',
      redeemedDeviceId: 'device-b1',
      redeemedStaffId: 'staff-b',
    });
    await pullChanges(f, [{ seq: 2, entity: 'claim', op: 'upsert', id: held.id, data: held }]);
    expect(await f.call['attention.list'](undefined)).toMatchObject([
      {
        id: mine.id,
        ownDevice: true,
        syncState: 'conflict',
        conflict: {
          winnerAt: '2026-03-10T03:30:00.000Z',
          winnerBranchName: '板橋店',
          winnerDeviceName: 'device-b1',
          winnerStaffName: 'staff-b',
          resolution: null,
        },
      },
    ]);
    expect(await attentionCount(f.db)).toBe(1);
  });
});
