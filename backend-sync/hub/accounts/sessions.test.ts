/** Back-office sign-in at the account level: the lockout holds against parallel guesses. */
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../domain/clock';
import { openTestDb, testDbKinds, type TestDb } from '../testing/databases';
import { createAdmin } from './createAdmin';
import { signIn } from './sessions';

const PASSWORD = 'a long enough passphrase';

describe.each(testDbKinds())('back-office sign-in lockout on %s', (kind) => {
  let t: TestDb | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('counts every one of 20 parallel wrong passwords and locks the account', async () => {
    t = await openTestDb(kind);
    const clock = manualClock('2026-03-01T00:00:00Z');
    await createAdmin(t.db, {
      email: 'boss@example.com',
      name: '王老闆',
      brandName: '新品牌',
      password: PASSWORD,
    });
    const guesses = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        signIn(t!.db, clock, { email: 'boss@example.com', password: `wrong password ${i}` }),
      ),
    );
    expect(guesses.every((g) => g.status === 'rejected')).toBe(true);
    const row = await t.db('admin_users').where({ email: 'boss@example.com' }).first();
    expect(Number(row.failed_signins)).toBe(20);
    expect(row.locked_until).not.toBeNull();
    // One lock, one audit row, however many guesses raced into it.
    expect(await t.db('audit_log').where({ action: 'accountLocked' })).toMatchObject([
      { brand_id: row.brand_id, actor_kind: 'system', entity: 'account', entity_id: row.id },
    ]);
    await expect(
      signIn(t.db, clock, { email: 'boss@example.com', password: PASSWORD }),
    ).rejects.toMatchObject({
      code: 'SIGNIN_LOCKED',
    });
  });
});
