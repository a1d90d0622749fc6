/** First-run bootstrap: `create-admin` makes a brand's first admin, who can then sign in. */
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../domain/clock';
import { openTestDb, testDbKinds, type TestDb } from '../testing/databases';
import { createAdmin, parseCreateAdminArgs } from './createAdmin';
import { signIn } from './sessions';

describe.each(testDbKinds())('create-admin on %s', (kind) => {
  let t: TestDb | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('creates a new brand with its first admin, who can sign in; a short password writes nothing', async () => {
    t = await openTestDb(kind);
    const args = parseCreateAdminArgs([
      '--email',
      'Boss@Example.com',
      '--name',
      '王老闆',
      '--brand-name',
      '新品牌',
    ]);
    await expect(
      createAdmin(t.db, { email: args.email, name: args.name, brandName: '新品牌', password: 'short' }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    expect(await t.db('brands')).toHaveLength(0);
    const user = await createAdmin(t.db, {
      email: args.email,
      name: args.name,
      brandName: '新品牌',
      password: 'a long enough passphrase',
    });
    expect(user).toMatchObject({ email: 'boss@example.com', role: 'admin', active: true });
    const session = await signIn(t.db, manualClock('2026-03-01T00:00:00Z'), {
      email: 'boss@example.com',
      password: 'a long enough passphrase',
    });
    expect(session.user.brandId).toBe(user.brandId);
    expect(() => parseCreateAdminArgs(['--email', 'x@y.z', '--name', 'n'])).toThrow(/Usage/);
  });
});
