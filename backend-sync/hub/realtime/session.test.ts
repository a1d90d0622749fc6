/**
 * Who receives which customers: devices connect as each role (a staff session opened with the
 * staff's PIN) and as another branch's device, pull every stream they can, and we check what
 * arrives — an associate only their own customers, a sales manager also the branch's team list,
 * other roles and other branches nothing of it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock, uuidV7 } from '../../domain/clock';
import { SyncEvent, type AckError, type PullResponse, type SessionOpenResponse } from '../../protocol';
import { createCustomersBulk } from '../customers/customers';
import { testDbKinds } from '../testing/databases';
import { connectFixtureDevice, request, startTestHub, type DeviceClient, type TestHub } from './testing';

describe.each(testDbKinds())('staff sessions and list scoping on %s', (kind) => {
  let h: TestHub;
  beforeEach(async () => {
    h = await startTestHub(kind, { claimsPerCoupon: 1 });
    const { staff, brandId } = h.fixture;
    await createCustomersBulk(h.t.db, { clock: systemClock, ids: uuidV7 }, brandId, {
      customers: [
        { channel: 'line', channelUserId: 'U-a-1', displayName: 'Mine A', boundStaffId: staff.associateA.id },
        {
          channel: 'whatsapp',
          channelUserId: '85291234567',
          displayName: 'Manager own',
          boundStaffId: staff.managerA.id,
        },
        {
          channel: 'line',
          channelUserId: 'U-b-1',
          displayName: 'Branch B',
          boundStaffId: staff.associateB.id,
        },
        { channel: 'line', channelUserId: 'U-free', displayName: 'Unbound' },
      ],
    });
  });
  afterEach(() => h.close());

  const open = (d: DeviceClient, proof: unknown) =>
    request<SessionOpenResponse & Partial<AckError>>(d.socket, SyncEvent.sessionOpen, proof);

  async function pullNames(d: DeviceClient, stream: string): Promise<string[] | string> {
    const page = await request<PullResponse & Partial<AckError>>(d.socket, SyncEvent.pull, {
      stream,
      cursor: 0,
    });
    if (page.error) return page.error.code;
    return page.changes
      .filter((c) => c.entity === 'customer' && c.op === 'upsert')
      .map((c) => (c as { data: { displayName: string } }).data.displayName)
      .sort();
  }

  it('gives an associate their own list only, and a sales manager also the team list', async () => {
    const { staff } = h.fixture;
    const a1 = await connectFixtureDevice(h, 'device-a1');
    const asAssociate = await open(a1, { staffId: staff.associateA.id, pin: staff.associateA.pin });
    expect(asAssociate.streams).toEqual([`staff:${staff.associateA.id}`]);
    expect(await pullNames(a1, `staff:${staff.associateA.id}`)).toEqual(['Mine A']);
    expect(await pullNames(a1, `staff:${staff.managerA.id}`)).toBe('FORBIDDEN');
    expect(await pullNames(a1, `team:${h.fixture.branchA}`)).toBe('FORBIDDEN');
    // The device stream carries no customers at all.
    expect(await pullNames(a1, 'device')).toEqual([]);

    const a2 = await connectFixtureDevice(h, 'device-a2');
    const asManager = await open(a2, { staffId: staff.managerA.id, pin: staff.managerA.pin });
    expect(asManager.streams).toEqual([`staff:${staff.managerA.id}`, `team:${h.fixture.branchA}`]);
    expect(await pullNames(a2, `staff:${staff.managerA.id}`)).toEqual(['Manager own']);
    expect(await pullNames(a2, `team:${h.fixture.branchA}`)).toEqual(['Manager own', 'Mine A']);
    expect(await pullNames(a2, `staff:${staff.associateA.id}`)).toBe('FORBIDDEN');
    expect(await pullNames(a2, `team:${h.fixture.branchB}`)).toBe('FORBIDDEN');
  });

  it("never lets another branch's device, a brand-wide role or a wrong PIN open a list", async () => {
    const { staff } = h.fixture;
    const b1 = await connectFixtureDevice(h, 'device-b1');
    expect((await open(b1, { staffId: staff.associateA.id, pin: staff.associateA.pin })).error?.code).toBe(
      'SESSION_REFUSED',
    );
    expect(await pullNames(b1, `staff:${staff.associateA.id}`)).toBe('FORBIDDEN');
    expect(await pullNames(b1, `team:${h.fixture.branchA}`)).toBe('FORBIDDEN');
    const asB = await open(b1, { staffId: staff.associateB.id, pin: staff.associateB.pin });
    expect(await pullNames(b1, asB.streams[0]!)).toEqual(['Branch B']);

    const a1 = await connectFixtureDevice(h, 'device-a1');
    expect((await open(a1, { staffId: staff.associateA.id, pin: '0000' })).error?.code).toBe(
      'SESSION_REFUSED',
    );
    expect(await pullNames(a1, `staff:${staff.associateA.id}`)).toBe('FORBIDDEN');
    const admin = await open(a1, { staffId: staff.admin.id, pin: staff.admin.pin });
    expect(admin.streams).toEqual([]);
  });

  it('resumes with the session token on the same device only, and closes on sign-out', async () => {
    const { staff } = h.fixture;
    const a1 = await connectFixtureDevice(h, 'device-a1');
    const first = await open(a1, { staffId: staff.associateA.id, pin: staff.associateA.pin });
    const stream = `staff:${staff.associateA.id}`;
    await request(a1.socket, SyncEvent.sessionClose, {});
    expect(await pullNames(a1, stream)).toBe('FORBIDDEN');

    const again = await open(a1, { staffId: staff.associateA.id, pin: staff.associateA.pin });
    a1.socket.disconnect();
    const reconnected = await connectFixtureDevice(h, 'device-a1');
    expect((await open(reconnected, { sessionToken: again.sessionToken })).streams).toEqual([stream]);
    expect(await pullNames(reconnected, stream)).toEqual(['Mine A']);

    const a2 = await connectFixtureDevice(h, 'device-a2');
    expect((await open(a2, { sessionToken: again.sessionToken })).error?.code).toBe('SESSION_REFUSED');
    // Sign-out ended the first session for good.
    expect((await open(reconnected, { sessionToken: first.sessionToken })).error?.code).toBe(
      'SESSION_REFUSED',
    );
  });
});
