import { afterEach, describe, expect, it } from 'vitest';
import { openTestDb, testDbKinds, type TestDb } from '../testing/databases';
import { bindCustomer, createCustomer, createCustomersBulk, listCustomers } from './customers';
import { createStaff } from '../staff/staff';
import { brandWithBranches, changesOf, countRows, rejectsWith, testDeps } from '../services/testing';

describe.each(testDbKinds())('customers on %s', (kind) => {
  let t: TestDb | undefined;
  afterEach(async () => t?.close());

  async function setup() {
    t = await openTestDb(kind);
    const deps = testDeps();
    const { brand, tpe, txg } = await brandWithBranches(t.db, deps);
    const staff = (code: string, role: string, branchId: string | null) =>
      createStaff(t!.db, deps, brand.id, { role, branchId, staffCode: code, displayName: code, pin: '1234' });
    return {
      db: t.db,
      deps,
      brand,
      tpe,
      txg,
      s1: await staff('S001', 'sales_associate', tpe.id),
      s3: await staff('S003', 'sales_associate', txg.id),
      agent: await staff('C002', 'cs_agent', null),
    };
  }

  it("creates a bound customer: E.164 phone, history, changes in the associate's and team's lists", async () => {
    const { db, deps, brand, tpe, s1 } = await setup();
    const customer = await createCustomer(db, deps, brand.id, {
      channel: 'whatsapp',
      channelUserId: '85291234567',
      displayName: 'Chan Tai Man',
      phone: '+852 9123 4567',
      boundStaffId: s1.id,
    });
    expect(customer).toMatchObject({
      phone: '+85291234567',
      boundStaffId: s1.id,
      boundBranchId: tpe.id,
      boundAt: '2026-03-01T02:00:00.000Z',
    });
    expect((await changesOf(db, customer.id)).map((c) => c.scope)).toEqual([
      `staff:${s1.id}`,
      `team:${tpe.id}`,
    ]);
    expect(await db('binding_history').where({ customer_id: customer.id })).toHaveLength(1);

    const unbound = await createCustomer(db, deps, brand.id, {
      channel: 'line',
      channelUserId: 'U1',
      displayName: 'Amy',
    });
    expect(unbound.boundStaffId).toBeNull();
    // Visible to no device until bound.
    expect(await changesOf(db, unbound.id)).toEqual([]);
  });

  it('moves a customer between branches: delete in the lists left, upsert in the new ones', async () => {
    const { db, deps, brand, tpe, txg, s1, s3 } = await setup();
    const customer = await createCustomer(db, deps, brand.id, {
      channel: 'line',
      channelUserId: 'U42',
      displayName: '王小明',
      boundStaffId: s1.id,
    });
    deps.clock.advance(1000);
    const moved = await bindCustomer(db, deps, brand.id, {
      customerId: customer.id,
      staffId: s3.id,
      source: 'qr',
    });
    expect(moved).toMatchObject({
      boundStaffId: s3.id,
      boundBranchId: txg.id,
      boundAt: '2026-03-01T02:00:01.000Z',
    });
    expect((await changesOf(db, customer.id)).map((c) => [c.scope, c.op])).toEqual([
      [`staff:${s1.id}`, 'upsert'],
      [`team:${tpe.id}`, 'upsert'],
      [`staff:${s3.id}`, 'upsert'],
      [`team:${txg.id}`, 'upsert'],
      [`staff:${s1.id}`, 'delete'],
      [`team:${tpe.id}`, 'delete'],
    ]);
    const history = await db('binding_history').where({ customer_id: customer.id }).orderBy('id');
    expect(history.map((h: Record<string, unknown>) => [h.from_staff_id, h.to_staff_id, h.source])).toEqual([
      [null, s1.id, 'admin'],
      [s1.id, s3.id, 'qr'],
    ]);
  });

  it('refuses bad customers and bindings and writes nothing', async () => {
    const { db, deps, brand, s1, agent } = await setup();
    const existing = await createCustomer(db, deps, brand.id, {
      channel: 'line',
      channelUserId: 'U1',
      displayName: 'Amy',
    });
    const before = await countRows(db);
    const ok = { channel: 'whatsapp', channelUserId: '886912345678', displayName: 'Lin' };
    await rejectsWith(
      createCustomer(db, deps, brand.id, { ...ok, phone: '0912345678' }),
      'VALIDATION_FAILED',
    );
    await rejectsWith(createCustomer(db, deps, brand.id, { ...ok, phone: '+852123' }), 'VALIDATION_FAILED');
    await rejectsWith(createCustomer(db, deps, brand.id, { ...ok, channel: 'wechat' }), 'VALIDATION_FAILED');
    await rejectsWith(
      createCustomer(db, deps, brand.id, { ...ok, avatarUrl: 'javascript:alert(1)' }),
      'VALIDATION_FAILED',
    );
    await rejectsWith(
      createCustomer(db, deps, brand.id, { ...ok, boundStaffId: agent.id }),
      'VALIDATION_FAILED',
    );
    await rejectsWith(createCustomer(db, deps, brand.id, { ...ok, boundStaffId: 'ghost' }), 'NOT_FOUND');
    await rejectsWith(
      createCustomer(db, deps, brand.id, { channel: 'line', channelUserId: 'U1', displayName: 'B' }),
      'ALREADY_EXISTS',
    );
    await rejectsWith(
      createCustomersBulk(db, deps, brand.id, {
        customers: [ok, { ...ok, boundStaffId: s1.id }, { ...ok, channelUserId: 'U1', channel: 'line' }],
      }),
      'VALIDATION_FAILED',
    );
    await rejectsWith(
      bindCustomer(db, deps, brand.id, { customerId: existing.id, staffId: agent.id }),
      'VALIDATION_FAILED',
    );
    await rejectsWith(bindCustomer(db, deps, brand.id, { customerId: 'ghost', staffId: s1.id }), 'NOT_FOUND');
    expect(await countRows(db)).toEqual(before);
  });

  it('lists customers a page at a time, filtered by channel', async () => {
    const { db, deps, brand, s1 } = await setup();
    await createCustomersBulk(db, deps, brand.id, {
      customers: Array.from({ length: 30 }, (_, i) => ({
        channel: i % 3 === 0 ? 'whatsapp' : 'line',
        channelUserId: `user-${i}`,
        displayName: `Customer ${i}`,
        boundStaffId: s1.id,
      })),
    });
    const page = await listCustomers(db, brand.id, { limit: '5', channel: 'whatsapp' });
    expect(page).toMatchObject({ total: 10, limit: 5, offset: 0 });
    expect(page.items.every((c) => c.channel === 'whatsapp')).toBe(true);
    expect((await listCustomers(db, brand.id, {})).total).toBe(30);
  });
});
