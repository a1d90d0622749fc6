/**
 * customer.add at the hub: every cell of SPEC §2.2's table (binding mode fixed / free × transfer
 * allowed or not) for a number bound to another associate, plus new, own and invalid numbers, and
 * the lists that see the result.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock, uuidV7 } from '../../../domain/clock';
import type { BindingMode } from '../../../domain/binding';
import { createCustomersBulk } from '../../customers/customers';
import { testDbKinds } from '../../testing/databases';
import { startChannelHub, type ChannelHub } from '../../webhooks/testing';
import { connectFixtureDevice, type DeviceClient } from '../testing';
import { push } from './testing';

const add = (staffId: string, phone: string, takeOver = false, name: string | null = null) => ({
  id: uuidV7(),
  kind: 'customer.add' as const,
  payload: { staffId, phone, name, takeOver },
  deviceTime: '2026-03-01T02:00:00.000Z',
});

describe.each(testDbKinds())('customer.add on %s', (kind) => {
  let h: ChannelHub;
  let a1: DeviceClient;
  const HELD = '+85261234567';
  beforeEach(async () => {
    h = await startChannelHub(kind);
    // The number is bound to associate A's colleague: the manager of branch A.
    await createCustomersBulk(h.t.db, { clock: systemClock, ids: uuidV7 }, h.fixture.brandId, {
      customers: [
        {
          channel: 'whatsapp',
          channelUserId: HELD.slice(1),
          displayName: 'Gigi Chan',
          phone: HELD,
          boundStaffId: h.fixture.staff.managerA.id,
        },
      ],
    });
    a1 = await connectFixtureDevice(h, 'device-a1');
  });
  afterEach(() => h.close());

  const holder = async () =>
    (await h.t
      .db('customers')
      .where({ channel_user_id: HELD.slice(1) })
      .first()) as Record<string, unknown>;

  describe.each<[BindingMode]>([['fixed'], ['free']])('binding mode %s', (mode) => {
    it('refuses a number bound to another associate when transfers are off, saying who holds it', async () => {
      await h.setSettings({ mode, allowTransfer: false });
      const { results } = await push(a1, [add(h.fixture.staff.associateA.id, HELD, true)]);
      expect(results[0]).toMatchObject({
        status: 'rejected',
        code: 'CUSTOMER_BOUND_ELSEWHERE',
        details: {
          staffId: h.fixture.staff.managerA.id,
          staffName: 'Staff A100',
          role: 'sales_manager',
          branchName: 'Branch A',
        },
      });
      expect((await holder()).bound_staff_id).toBe(h.fixture.staff.managerA.id);
    });

    it('asks for confirmation when transfers are on, then binds and takes over', async () => {
      await h.setSettings({ mode, allowTransfer: true });
      const asked = await push(a1, [add(h.fixture.staff.associateA.id, HELD)]);
      expect(asked.results[0]).toMatchObject({ status: 'rejected', code: 'CUSTOMER_TAKEOVER_UNCONFIRMED' });
      expect((await holder()).bound_staff_id).toBe(h.fixture.staff.managerA.id);

      const confirmed = await push(a1, [add(h.fixture.staff.associateA.id, HELD, true)]);
      expect(confirmed.results[0]).toMatchObject({ status: 'applied' });
      const row = await holder();
      expect(row.bound_staff_id).toBe(h.fixture.staff.associateA.id);
      const history = await h.t.db('binding_history').where({ customer_id: row.id }).orderBy('id');
      expect(history.map((r) => [r.from_staff_id, r.to_staff_id, r.source])).toEqual([
        [null, h.fixture.staff.managerA.id, 'admin'],
        [h.fixture.staff.managerA.id, h.fixture.staff.associateA.id, 'phone'],
      ]);
      const changes = await h.t.db('changes').where({ entity: 'customer', entity_id: row.id }).orderBy('seq');
      expect(changes.slice(-3).map((c) => [c.scope, c.op])).toEqual([
        [`staff:${h.fixture.staff.associateA.id}`, 'upsert'],
        [`team:${h.fixture.branchA}`, 'upsert'],
        [`staff:${h.fixture.staff.managerA.id}`, 'delete'],
      ]);
    });
  });

  it('binds a new number under the given name, or the number itself, and keeps one of my own', async () => {
    const me = h.fixture.staff.associateA.id;
    const { results } = await push(a1, [
      add(me, '+85291234567', false, 'Chan Tai Man'),
      add(me, '+85251234567'),
      add(me, '+85291234567'),
    ]);
    expect(results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
    const rows = await h.t
      .db('customers')
      .whereIn('channel_user_id', ['85291234567', '85251234567'])
      .orderBy('channel_user_id');
    expect(rows.map((r) => [r.display_name, r.phone, r.bound_staff_id])).toEqual([
      ['+852 5123 4567', '+85251234567', me],
      ['Chan Tai Man', '+85291234567', me],
    ]);
    expect(
      await h.t.db('binding_history').whereIn(
        'customer_id',
        rows.map((r) => r.id),
      ),
    ).toHaveLength(2);
  });

  it('rejects an invalid number, and staff who have no list or belong elsewhere', async () => {
    const { results } = await push(a1, [
      add(h.fixture.staff.associateA.id, '+8521234'),
      add(h.fixture.staff.admin.id, '+85291234567'),
      add(h.fixture.staff.associateB.id, '+85291234567'),
    ]);
    expect(results.map((r) => (r.status === 'rejected' ? r.code : r.status))).toEqual([
      'PHONE_INVALID',
      'FORBIDDEN',
      'STAFF_NOT_IN_BRANCH',
    ]);
    expect(await h.t.db('customers').where({ channel_user_id: '85291234567' })).toEqual([]);
  });
});
