/**
 * The customers screen's data against the real hub: the signed-in staff's session opens their
 * lists at the hub (an associate's own, a manager's team list too), a customer added by number
 * while the hub is down is queued and shows as pending, and its final answer arrives after the
 * hub comes back.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock, uuidV7 } from '../../../backend-sync/domain/clock';
import { createCustomersBulk } from '../../../backend-sync/hub/customers/customers';
import { testDbKinds } from '../../../backend-sync/hub/testing/databases';
import { waitFor } from '../temp';
import { openTestConsole, startHubHarness, type HubHarness, type TestConsole } from './harness';

describe.each(testDbKinds())('customer lists against the real hub (%s)', (kind) => {
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  async function setUp(): Promise<{ h: HubHarness; c: TestConsole }> {
    const h = await startHubHarness(kind);
    cleanups.push(() => h.close());
    const { staff, brandId, devices } = h.fixture;
    await createCustomersBulk(h.t.db, { clock: systemClock, ids: uuidV7 }, brandId, {
      customers: [
        { channel: 'line', channelUserId: 'U-a', displayName: '王小明', boundStaffId: staff.associateA.id },
        {
          channel: 'line',
          channelUserId: 'U-m',
          displayName: 'Manager Own',
          boundStaffId: staff.managerA.id,
        },
        {
          channel: 'line',
          channelUserId: 'U-b',
          displayName: 'Other Branch',
          boundStaffId: staff.associateB.id,
        },
      ],
    });
    const c = await openTestConsole();
    cleanups.push(c.remove, () => c.close());
    await c.call('enrollment.enroll', {
      hubUrl: h.url,
      pairingCode: devices.a1.pairingCode,
      deviceName: 'Till A1',
    });
    await c.waitForStatus(
      (s) => s.connection === 'online' && s.firstSync === null && s.lastSyncAt !== null,
      'first sync',
    );
    return { h, c };
  }

  const names = async (c: TestConsole, list: 'mine' | 'team') =>
    (await c.call('customers.search', { list })).items.map((i) => i.displayName).sort();

  it("opens each staff member's own lists at the hub as they sign in", async () => {
    const { h, c } = await setUp();
    const { associateA, managerA } = h.fixture.staff;
    await c.call('session.signIn', { staffCode: associateA.staffCode, pin: associateA.pin });
    expect(
      await waitFor(async () => ((await names(c, 'mine')).length ? names(c, 'mine') : null), 'my list'),
    ).toEqual(['王小明']);
    await expect(c.call('customers.search', { list: 'team' })).rejects.toMatchObject({ code: 'FORBIDDEN' });

    await c.call('session.signOut');
    await c.call('session.signIn', { staffCode: managerA.staffCode, pin: managerA.pin });
    const team = await waitFor(
      async () => ((await names(c, 'team')).length === 2 ? names(c, 'team') : null),
      'the team list',
    );
    expect(team).toEqual(['Manager Own', '王小明']);
    expect(await names(c, 'mine')).toEqual(['Manager Own']);
  });

  it('queues an add while the hub is down, shows it pending, then its answer', async () => {
    const { h, c } = await setUp();
    const { associateA } = h.fixture.staff;
    await c.call('session.signIn', { staffCode: associateA.staffCode, pin: associateA.pin });
    await h.stop();
    await c.waitForStatus((s) => s.connection === 'offline', 'offline');

    const request = await c.call('customers.add', { phone: '6123 4567', name: 'Offline Amy' });
    expect(request).toMatchObject({ state: 'queued', phone: '+852 6123 4567' });
    expect((await c.call('customers.addRequests'))[0]).toMatchObject({ id: request.id, state: 'queued' });

    await h.start();
    await c.waitForStatus((s) => s.connection === 'online' && s.queued === 0, 'the queue drained', 15_000);
    expect((await c.call('customers.addRequests'))[0]).toMatchObject({ id: request.id, state: 'added' });
    const found = await waitFor(async () => {
      const page = await c.call('customers.search', { search: '6123 4567' });
      return page.total === 1 ? page.items[0] : null;
    }, 'the new customer in my list');
    expect(found).toMatchObject({ displayName: 'Offline Amy', channel: 'whatsapp', phone: '+852 6123 4567' });
    // A hub answer shown on the customers screen is not a sync problem for the status bar.
    expect((await c.call('sync.status')).rejected).toBe(0);
  });
});
