/**
 * PIN guessing at the hub: wrong PINs count per staff member across sockets and devices (a
 * reconnect does not reset them), the member is locked with back-off, the lock is recorded, shown
 * in the admin API and replicated to the branch's tills; PIN attempts are rate-limited per device.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SyncEvent, type AckError, type PullResponse, type SessionOpenResponse } from '../../protocol';
import { testDbKinds } from '../testing/databases';
import { PIN_LOCK_BASE_MS } from './pinGuard';
import { connectFixtureDevice, request, startTestHub, type TestHub } from './testing';

type OpenAnswer = Partial<SessionOpenResponse> & Partial<AckError>;

describe.each(testDbKinds())('PIN lockout at the hub on %s', (kind) => {
  let h: TestHub | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  /** Each attempt on a fresh socket, as a guesser reconnecting would. */
  const tryPin = async (deviceId: string, staffId: string, pin: string): Promise<OpenAnswer> => {
    const d = await connectFixtureDevice(h!, deviceId);
    try {
      return await request<OpenAnswer>(d.socket, SyncEvent.sessionOpen, { staffId, pin });
    } finally {
      d.socket.disconnect();
    }
  };
  const wrongPin = (right: string) => (right === '0000' ? '0001' : '0000');

  it('locks a staff member after 5 wrong PINs over several sockets and devices, and refuses the right PIN during the lock', async () => {
    h = await startTestHub(kind);
    const who = h.fixture.staff.associateA;
    const answers: OpenAnswer[] = [];
    for (let i = 0; i < 5; i++)
      answers.push(await tryPin(i % 2 ? 'device-a2' : 'device-a1', who.id, wrongPin(who.pin)));
    expect(answers.slice(0, 4).map((a) => a.error?.code)).toEqual(Array(4).fill('SESSION_REFUSED'));
    const until = new Date(h.clock.now().getTime() + PIN_LOCK_BASE_MS).toISOString();
    expect(answers[4]!.error).toMatchObject({ code: 'SIGNIN_LOCKED', details: { retryAt: until } });

    // The right PIN, from either device, is refused while the lock lasts.
    expect((await tryPin('device-a1', who.id, who.pin)).error).toMatchObject({
      code: 'SIGNIN_LOCKED',
      details: { retryAt: until },
    });

    // Recorded: who, from which device, when, until.
    expect(await h.t.db('pin_lockouts')).toMatchObject([
      { staff_id: who.id, device_id: 'device-a1', locked_until: until, failures: 5 },
    ]);
    // And in the audit log: one row for the lock.
    expect(await h.t.db('audit_log').where({ action: 'staffPinLocked' })).toMatchObject([
      { brand_id: h.fixture.brandId, actor_kind: 'system', entity: 'staff', entity_id: who.id },
    ]);
    // The back office sees it in the staff list.
    const listed = await fetch(`${h.hub.url}/api/admin/brands/${h.fixture.brandId}/staff`, {
      headers: { authorization: 'Bearer test-admin-token' },
    });
    const items = ((await listed.json()) as { items: { id: string; signInLockedUntil: string | null }[] })
      .items;
    expect(items.find((s) => s.id === who.id)?.signInLockedUntil).toBe(until);
    expect(items.filter((s) => s.signInLockedUntil !== null)).toHaveLength(1);
    // And every till of the branch gets the lock with the staff row.
    const d = await connectFixtureDevice(h, 'device-a1');
    const page = await request<PullResponse>(d.socket, SyncEvent.pull, { cursor: 0 });
    const staffChanges = page.changes.filter((c) => c.entity === 'staff' && c.id === who.id);
    expect(staffChanges.at(-1)).toMatchObject({ data: { signInLockedUntil: until } });
    d.socket.disconnect();

    // After the lock the right PIN works again.
    h.clock.advance(PIN_LOCK_BASE_MS + 1000);
    expect(await tryPin('device-a1', who.id, who.pin)).toMatchObject({ staffId: who.id });
  });

  it('doubles the lock each time the guessing goes on, and a right PIN starts over', async () => {
    h = await startTestHub(kind);
    const who = h.fixture.staff.managerA;
    const lockFor = async (): Promise<number> => {
      let last: OpenAnswer = {};
      for (let i = 0; i < 5; i++) last = await tryPin('device-a1', who.id, wrongPin(who.pin));
      expect(last.error?.code).toBe('SIGNIN_LOCKED');
      const ms = Date.parse(String(last.error!.details!.retryAt)) - h!.clock.now().getTime();
      h!.clock.advance(ms + 1000);
      return ms;
    };
    expect(await lockFor()).toBe(PIN_LOCK_BASE_MS);
    expect(await lockFor()).toBe(2 * PIN_LOCK_BASE_MS);
    expect(await lockFor()).toBe(4 * PIN_LOCK_BASE_MS);
    expect(await tryPin('device-a1', who.id, who.pin)).toMatchObject({ staffId: who.id });
    expect(await lockFor()).toBe(PIN_LOCK_BASE_MS);
  });

  it('limits PIN attempts per device, across sockets, without slowing other devices', async () => {
    h = await startTestHub(kind);
    const { associateA } = h.fixture.staff;
    const codes: string[] = [];
    // Staff ids nobody has, so no member's own lock is what stops the guessing.
    for (let i = 0; i < 12; i++) codes.push((await tryPin('device-a1', `guess-${i}`, '1234')).error!.code);
    expect(codes).toEqual([...Array(10).fill('SESSION_REFUSED'), 'RATE_LIMITED', 'RATE_LIMITED']);
    // The limited device learns nothing, not even about a right PIN…
    expect((await tryPin('device-a1', associateA.id, associateA.pin)).error?.code).toBe('RATE_LIMITED');
    // …while another device of the branch signs in at once.
    expect(await tryPin('device-a2', associateA.id, associateA.pin)).toMatchObject({
      staffId: associateA.id,
    });
  });
});
