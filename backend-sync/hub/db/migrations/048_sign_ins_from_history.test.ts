import { afterEach, describe, expect, it } from 'vitest';
import { openTestDb, testDbKinds, type TestDb } from '../../testing/databases';
import { seedFixture } from '../../testing/fixtures';
import { hubMigrationSource } from '.';

/**
 * A hub upgraded past migration 045 must know the sign-ins consoles reported before it, or what an
 * upgraded console still has queued under them is refused (realtime/mutations/actor.ts).
 */
describe.each(testDbKinds())('migration 048 (sign-ins from history) on %s', (kind) => {
  let t: TestDb | undefined;
  afterEach(async () => t?.close());

  it('records each applied staff.signin once, and nothing for refused ones or unknown staff', async () => {
    t = await openTestDb(kind);
    const f = await seedFixture(t.db);
    const name = '048_sign_ins_from_history';
    await t.db.migrate.down({ migrationSource: hubMigrationSource, name });
    const mutation = (id: string, staffId: string, status: string) => ({
      id,
      device_id: f.devices.a1.id,
      kind: 'staff.signin',
      payload: JSON.stringify({ staffId, signedInAt: '2026-03-01T01:00:00.000Z' }),
      device_time: '2026-03-01T01:00:00.000Z',
      outcome: JSON.stringify({ status }),
      received_at: '2026-03-01T01:00:05.000Z',
    });
    await t
      .db('mutations')
      .insert([
        mutation('signin-old', f.staff.associateA.id, 'applied'),
        mutation('signin-refused', f.staff.associateA.id, 'rejected'),
        mutation('signin-gone', 'no-such-staff', 'applied'),
        mutation('signin-known', f.staff.managerA.id, 'applied'),
      ]);
    await t.db('sign_ins').insert({
      id: 'signin-known',
      device_id: f.devices.a1.id,
      staff_id: f.staff.managerA.id,
      proof: 'hub_pin',
      signed_in_at: null,
      recorded_at: '2026-03-01T01:00:06.000Z',
    });

    await t.db.migrate.up({ migrationSource: hubMigrationSource, name });

    const rows = await t.db('sign_ins').orderBy('id').select('id', 'staff_id', 'proof', 'device_id');
    expect(rows).toEqual([
      { id: 'signin-known', staff_id: f.staff.managerA.id, proof: 'hub_pin', device_id: f.devices.a1.id },
      { id: 'signin-old', staff_id: f.staff.associateA.id, proof: 'unverified', device_id: f.devices.a1.id },
    ]);
  });
});
