/**
 * What a till receives with nobody signed in: everything a verdict needs, and no customer's
 * personal data. Claims replicate brand-wide (a coupon may be brought to any branch), so their
 * customer names travel masked; names, phones, channel ids and pictures reach a device only in
 * the lists a signed-in staff member's session opens (session.test.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock, uuidV7 } from '../../domain/clock';
import { SyncEvent, type PullResponse, type PushResponse } from '../../protocol';
import { createClaimsBulk } from '../coupons/claims';
import { createCustomersBulk } from '../customers/customers';
import { testDbKinds } from '../testing/databases';
import {
  connectFixtureDevice,
  request,
  startTestHub,
  testSignInId,
  type DeviceClient,
  type TestHub,
} from './testing';

async function pullEverything(d: DeviceClient): Promise<PullResponse['changes']> {
  const all: PullResponse['changes'] = [];
  let cursor = 0;
  for (;;) {
    const page = await request<PullResponse>(d.socket, SyncEvent.pull, { cursor, limit: 5000 });
    all.push(...page.changes);
    cursor = page.cursor;
    if (!page.hasMore) return all;
  }
}

describe.each(testDbKinds())('personal data on a till with nobody signed in, on %s', (kind) => {
  let h: TestHub | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('sends claims of both branches with masked names and no customer name, phone, channel id or picture', async () => {
    h = await startTestHub(kind);
    const { staff, brandId, coupons } = h.fixture;
    const deps = { clock: systemClock, ids: uuidV7 };
    const people = [
      {
        channel: 'line',
        channelUserId: 'U-secret-a',
        displayName: '陳大文',
        boundStaffId: staff.associateA.id,
      },
      {
        channel: 'whatsapp',
        channelUserId: '85291234567',
        displayName: 'Amy Wong',
        boundStaffId: staff.associateB.id,
      },
      { channel: 'line', channelUserId: 'U-secret-free', displayName: '林小美' },
    ] as const;
    const customers = await createCustomersBulk(h.t.db, deps, brandId, { customers: [...people] });
    const claims = await createClaimsBulk(h.t.db, deps, coupons.everywhere, {
      claims: customers.map((c) => ({ customerId: c.id })),
    });
    // A redemption at branch A rewrites a claim through the push path too.
    const a1 = await connectFixtureDevice(h, 'device-a1');
    const pushed = await request<PushResponse>(a1.socket, SyncEvent.push, {
      mutations: [
        {
          id: uuidV7(),
          kind: 'redemption.create',
          payload: {
            claimId: claims[1]!.id,
            couponId: coupons.everywhere,
            staffId: staff.associateA.id,
            signInId: testSignInId(a1.deviceId, staff.associateA.id),
            scannedCode: claims[1]!.code,
          },
          deviceTime: '2026-03-01T03:00:00.000Z',
        },
      ],
    });
    expect(pushed.results[0]!.status).toBe('applied');

    const secrets = [
      ...people.map((p) => p.displayName),
      ...people.map((p) => p.channelUserId),
      '+85291234567',
      ...customers.map((c) => c.phone).filter((p): p is string => !!p),
    ];
    for (const deviceId of ['device-a1', 'device-b1']) {
      const d = deviceId === 'device-a1' ? a1 : await connectFixtureDevice(h, deviceId);
      const changes = await pullEverything(d);
      const text = JSON.stringify(changes);
      for (const secret of secrets) expect(text, `${deviceId} got ${secret}`).not.toContain(secret);
      expect(changes.some((c) => c.entity === 'customer')).toBe(false);
      const names = changes
        .filter((c) => c.entity === 'claim' && c.op === 'upsert')
        .map((c) => c.data as { id: string; customerName: string | null })
        .filter((c) => claims.some((k) => k.id === c.id))
        .map((c) => c.customerName);
      expect(new Set(names)).toEqual(new Set(['陳○○○', 'A○○○', '林○○○']));
    }
  });
});
