import { afterEach, describe, expect, it } from 'vitest';
import { verifySecret } from '../../domain/secrets';
import { openTestDb, testDbKinds, type TestDb } from '../testing/databases';
import { createBrand } from '../brands/brands';
import { createBranch } from '../brands/branches';
import { createPinGuard, PIN_FAILURES_BEFORE_LOCK } from '../realtime/pinGuard';
import { createStaff, listStaff, resetStaffPin, updateStaff } from './staff';
import { brandWithBranches, changesOf, countRows, rejectsWith, testDeps } from '../services/testing';

describe.each(testDbKinds())('staff on %s', (kind) => {
  let t: TestDb | undefined;
  afterEach(async () => t?.close());

  it('stores only a PIN hash, returns neither PIN nor hash, and scopes by branch', async () => {
    t = await openTestDb(kind);
    const deps = testDeps();
    const { brand, tpe } = await brandWithBranches(t.db, deps);
    const admin = await createStaff(t.db, deps, brand.id, {
      role: 'admin',
      staffCode: 'a001',
      displayName: '王大明',
      pin: '1234',
    });
    const associate = await createStaff(t.db, deps, brand.id, {
      role: 'sales_associate',
      branchId: tpe.id,
      staffCode: 'S001',
      displayName: '林小美',
      pin: '567890',
    });
    expect(admin).toMatchObject({ staffCode: 'A001', role: 'admin', branchId: null, active: true });
    expect(JSON.stringify([admin, associate, await listStaff(t.db, deps, brand.id)])).not.toMatch(
      /pin|scrypt|1234|567890/i,
    );

    const stored = await t.db('staff').where({ id: associate.id }).first();
    expect(stored.pin_hash).not.toContain('567890');
    expect(verifySecret('567890', stored.pin_hash)).toBe(true);

    const [adminChange] = await changesOf(t.db, admin.id);
    expect(adminChange).toMatchObject({ scope: 'brand', op: 'upsert' });
    expect((adminChange!.data as { pinHash: string }).pinHash).toMatch(/^scrypt\$/);
    expect((await changesOf(t.db, associate.id)).map((c) => c.scope)).toEqual([`branch:${tpe.id}`]);
  });

  it('keeps a PIN lock on the tills through an edit, and lifts it when a manager resets the PIN', async () => {
    t = await openTestDb(kind);
    const deps = testDeps();
    const { brand, tpe } = await brandWithBranches(t.db, deps);
    const member = await createStaff(t.db, deps, brand.id, {
      role: 'sales_associate',
      branchId: tpe.id,
      staffCode: 'S001',
      displayName: '林小美',
      pin: '567890',
    });
    const guard = createPinGuard();
    const row = await t.db('staff').where({ id: member.id }).first();
    let lockedUntil: string | null = null;
    for (let i = 0; i < PIN_FAILURES_BEFORE_LOCK; i++)
      lockedUntil = await guard.failed(t.db, row, 'device-1', deps.clock.now());
    expect(lockedUntil).not.toBeNull();
    const lastPublished = async () =>
      ((await changesOf(t!.db, member.id)).at(-1)!.data as { signInLockedUntil?: string | null })
        .signInLockedUntil;

    await updateStaff(t.db, deps, member.id, { displayName: '林小美 (店長)' });
    expect(await lastPublished()).toBe(lockedUntil);
    await expect(guard.assertNotLocked(t.db, member.id, deps.clock.now())).rejects.toMatchObject({
      code: 'SIGNIN_LOCKED',
    });

    await resetStaffPin(t.db, deps, member.id, { pin: '246810' });
    expect(await lastPublished()).toBeNull();
    await expect(guard.assertNotLocked(t.db, member.id, deps.clock.now())).resolves.toBeUndefined();
    expect(await t.db('pin_failures').where({ staff_id: member.id }).first()).toMatchObject({
      failures: 0,
      locked_until: null,
      lock_count: 0,
    });
  });

  it('refuses bad staff and writes nothing', async () => {
    t = await openTestDb(kind);
    const deps = testDeps();
    const { brand, tpe } = await brandWithBranches(t.db, deps);
    const other = await createBrand(t.db, deps, { name: 'Other' });
    const foreignBranch = await createBranch(t.db, deps, other.id, { name: 'Elsewhere', code: 'ELS' });
    await createStaff(t.db, deps, brand.id, {
      role: 'supervisor',
      staffCode: 'P001',
      displayName: 'Boss',
      pin: '2345',
    });
    const before = await countRows(t.db);

    const ok = {
      role: 'sales_associate',
      branchId: tpe.id,
      staffCode: 'S009',
      displayName: 'New',
      pin: '1111',
    };
    const bad: [unknown, string][] = [
      [{ ...ok, branchId: undefined }, 'VALIDATION_FAILED'],
      [{ ...ok, role: 'cs_agent' }, 'VALIDATION_FAILED'],
      [{ ...ok, pin: '12a4' }, 'VALIDATION_FAILED'],
      [{ ...ok, pin: '123' }, 'VALIDATION_FAILED'],
      [{ ...ok, staffCode: 'S-1' }, 'VALIDATION_FAILED'],
      [{ ...ok, displayName: 'x'.repeat(51) }, 'VALIDATION_FAILED'],
      [{ ...ok, role: 'owner' }, 'VALIDATION_FAILED'],
      [{ ...ok, staffCode: 'p001' }, 'ALREADY_EXISTS'],
      [{ ...ok, branchId: 'missing' }, 'NOT_FOUND'],
      [{ ...ok, branchId: foreignBranch.id }, 'NOT_FOUND'],
    ];
    for (const [input, code] of bad) await rejectsWith(createStaff(t.db, deps, brand.id, input), code);
    await rejectsWith(createStaff(t.db, deps, 'missing', ok), 'NOT_FOUND');
    expect(await countRows(t.db)).toEqual(before);
  });
});
