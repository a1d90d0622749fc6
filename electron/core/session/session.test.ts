import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { manualClock, uuidV7 } from '../../../backend-sync/domain/clock';
import { ErrorCode } from '../../../backend-sync/domain/errors';
import { hashSecret } from '../../../backend-sync/domain/secrets';
import type { StaffRow } from '../../../backend-sync/protocol';
import type { SessionStaff } from '../consoleApi/contract';
import { readAll } from '../outbox/outbox';
import { openConsoleDb } from '../store/db';
import { setMeta } from '../store/meta';
import { applyChanges } from '../store/mirrors';
import { writeTransaction } from '../store/transaction';
import { tempDir } from '../../testing/temp';
import { createSessions, LOCK_MS, MAX_FAILURES } from './sessions';

const pinHash = hashSecret('1234');
const staff = (over: Partial<StaffRow>): StaffRow => ({
  id: 'st-amy',
  brandId: 'brand-1',
  branchId: 'branch-a',
  role: 'sales_associate',
  staffCode: 'Amy01',
  displayName: 'Amy',
  pinHash,
  active: true,
  ...over,
});

describe('staff sign-in', () => {
  let db: Knex;
  let remove: () => void;
  let clock: ReturnType<typeof manualClock>;
  let changes: (SessionStaff | null)[];
  let outboxPings: number;
  let sessions: ReturnType<typeof createSessions>;

  beforeEach(async () => {
    const tmp = tempDir();
    remove = tmp.remove;
    db = await openConsoleDb({ dataDir: tmp.dir });
    clock = manualClock('2026-01-05T10:00:00.000Z');
    changes = [];
    outboxPings = 0;
    await writeTransaction(db, async (trx) => {
      await setMeta(trx, { brandId: 'brand-1', branchId: 'branch-a' });
      let seq = 1;
      for (const row of [
        staff({}),
        staff({ id: 'st-boss', staffCode: 'BOSS', branchId: null, role: 'supervisor' }),
        staff({ id: 'st-other', staffCode: 'OTHER', branchId: 'branch-b' }),
        staff({ id: 'st-gone', staffCode: 'GONE', active: false }),
      ]) {
        await applyChanges(trx, [{ seq: seq++, entity: 'staff', op: 'upsert', id: row.id, data: row }]);
      }
    });
    sessions = createSessions({
      db,
      clock,
      ids: uuidV7,
      onChanged: (s) => changes.push(s),
      onOutboxChanged: () => outboxPings++,
    });
  });
  afterEach(async () => {
    await db.destroy();
    remove();
  });

  it('signs in with a case-insensitive staff code, records it and queues staff.signin', async () => {
    const session = await sessions.signIn({ staffCode: 'amy01', pin: '1234' });
    expect(session).toMatchObject({
      id: 'st-amy',
      staffCode: 'Amy01',
      displayName: 'Amy',
      branchId: 'branch-a',
    });
    expect(sessions.current()).toEqual(session);
    expect(changes).toEqual([session]);
    const outbox = await readAll(db);
    expect(outbox).toHaveLength(1);
    expect(outbox[0]!.mutation).toMatchObject({
      kind: 'staff.signin',
      payload: { staffId: 'st-amy', signedInAt: '2026-01-05T10:00:00.000Z' },
    });
    expect(await db('signins').select('staff_id', 'mutation_id')).toEqual([
      { staff_id: 'st-amy', mutation_id: outbox[0]!.mutation.id },
    ]);
    expect(outboxPings).toBe(1);

    expect(sessions.signOut()).toBeNull();
    expect(sessions.current()).toBeNull();
    expect(changes.at(-1)).toBeNull();
  });

  it('lets brand-wide staff in, but not other branches, inactive staff or unknown codes — all with one answer', async () => {
    await expect(sessions.signIn({ staffCode: 'boss', pin: '1234' })).resolves.toMatchObject({
      id: 'st-boss',
    });
    for (const attempt of [
      { staffCode: 'OTHER', pin: '1234' },
      { staffCode: 'GONE', pin: '1234' },
      { staffCode: 'NOBODY', pin: '1234' },
      { staffCode: 'AMY01', pin: '9999' },
    ]) {
      await expect(sessions.signIn(attempt)).rejects.toMatchObject({
        code: ErrorCode.SIGNIN_FAILED,
        message: 'Staff code or PIN is not correct.',
      });
    }
    expect((await readAll(db)).length).toBe(1);
  });

  it(`locks a staff code for 5 minutes after ${MAX_FAILURES} wrong PINs, then lets the right PIN in`, async () => {
    for (let i = 1; i < MAX_FAILURES; i++) {
      await expect(sessions.signIn({ staffCode: 'AMY01', pin: '0000' })).rejects.toMatchObject({
        code: ErrorCode.SIGNIN_FAILED,
      });
    }
    const retryAt = new Date(clock.now().getTime() + LOCK_MS).toISOString();
    await expect(sessions.signIn({ staffCode: 'AMY01', pin: '0000' })).rejects.toMatchObject({
      code: ErrorCode.SIGNIN_LOCKED,
      details: { retryAt },
    });
    // Locked: even the right PIN is refused, whatever the case of the code.
    clock.advance(LOCK_MS - 1000);
    await expect(sessions.signIn({ staffCode: 'amy01', pin: '1234' })).rejects.toMatchObject({
      code: ErrorCode.SIGNIN_LOCKED,
      details: { retryAt },
    });
    // Another staff code is not affected.
    await expect(sessions.signIn({ staffCode: 'BOSS', pin: '1234' })).resolves.toMatchObject({
      id: 'st-boss',
    });

    clock.advance(1000);
    await expect(sessions.signIn({ staffCode: 'AMY01', pin: '1234' })).resolves.toMatchObject({
      id: 'st-amy',
    });
    // A success clears the count: one wrong PIN later is a plain failure again.
    await expect(sessions.signIn({ staffCode: 'AMY01', pin: '0000' })).rejects.toMatchObject({
      code: ErrorCode.SIGNIN_FAILED,
    });
  });

  it('keeps the lock across a restart (a new session manager on the same database)', async () => {
    for (let i = 0; i < MAX_FAILURES; i++) {
      await sessions.signIn({ staffCode: 'AMY01', pin: '0000' }).catch(() => {});
    }
    const fresh = createSessions({ db, clock, ids: uuidV7, onChanged: () => {}, onOutboxChanged: () => {} });
    await expect(fresh.signIn({ staffCode: 'AMY01', pin: '1234' })).rejects.toMatchObject({
      code: ErrorCode.SIGNIN_LOCKED,
    });
  });

  it('refuses the right PIN while the hub has the staff member locked (wrong PINs on any device), until then', async () => {
    const until = '2026-01-05T10:10:00.000Z';
    await writeTransaction(db, (trx) =>
      applyChanges(trx, [
        { seq: 10, entity: 'staff', op: 'upsert', id: 'st-amy', data: staff({ signInLockedUntil: until }) },
      ]),
    );
    await expect(sessions.signIn({ staffCode: 'AMY01', pin: '1234' })).rejects.toMatchObject({
      code: ErrorCode.SIGNIN_LOCKED,
      details: { retryAt: until },
    });
    clock.set('2026-01-05T10:10:01.000Z');
    await expect(sessions.signIn({ staffCode: 'AMY01', pin: '1234' })).resolves.toMatchObject({
      id: 'st-amy',
    });
  });

  it('refuses sign-in on a device that is not enrolled', async () => {
    await writeTransaction(db, (trx) => setMeta(trx, { brandId: null, branchId: null }));
    await expect(sessions.signIn({ staffCode: 'AMY01', pin: '1234' })).rejects.toMatchObject({
      code: ErrorCode.NOT_ENROLLED,
    });
  });
});
