import { afterEach, describe, expect, it } from 'vitest';
import { SyncEvent, type Change, type PullResponse } from '../../protocol';
import { testDbKinds } from '../testing/databases';
import { uuidV7 } from '../../domain/clock';
import {
  connectFixtureDevice,
  nextEvent,
  request,
  startTestHub,
  testSignInId,
  type TestHub,
} from './testing';
import type { Socket } from 'socket.io-client';
import { recordChange } from '../db/changes';
import { toBrandRow } from '../db/rows';

/** Pulls page after page until hasMore is false, checking the page invariants on the way. */
async function pullAll(socket: Socket, limit: number): Promise<{ changes: Change[]; pages: PullResponse[] }> {
  const pages: PullResponse[] = [];
  let cursor = 0;
  for (;;) {
    const page = await request<PullResponse>(socket, SyncEvent.pull, { cursor, limit });
    pages.push(page);
    cursor = page.cursor;
    if (!page.hasMore) break;
    if (pages.length > 1000) throw new Error('pull never finishes');
  }
  return { changes: pages.flatMap((p) => p.changes), pages };
}

describe.each(testDbKinds())('sync:pull on %s', (kind) => {
  let h: TestHub | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('pages through the change log in seq order with a correct remaining count', async () => {
    h = await startTestHub(kind, { claimsPerCoupon: 5 });
    const { socket } = await connectFixtureDevice(h, h.fixture.devices.a1.id);
    const { changes, pages } = await pullAll(socket, 4);
    const total = changes.length;
    expect(total).toBeGreaterThan(8);
    const seqs = changes.map((c) => c.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(total);
    let delivered = 0;
    for (const page of pages) {
      delivered += page.changes.length;
      expect(page.changes.length).toBeLessThanOrEqual(4);
      expect(page.remaining).toBe(total - delivered);
      expect(page.hasMore).toBe(page.remaining > 0);
      if (page.hasMore) expect(page.cursor).toBe(page.changes.at(-1)!.seq);
      else expect(page.cursor).toBeGreaterThanOrEqual(seqs.at(-1)!);
    }
    const again = await request<PullResponse>(socket, SyncEvent.pull, { cursor: pages.at(-1)!.cursor });
    expect(again).toEqual({
      hubTime: h.clock.now().toISOString(),
      changes: [],
      cursor: pages.at(-1)!.cursor,
      hasMore: false,
      remaining: 0,
    });
  });

  it('counts what remains once per pull, and never says 0 while changes written meanwhile follow', async () => {
    h = await startTestHub(kind, { claimsPerCoupon: 5 });
    const { socket } = await connectFixtureDevice(h, h.fixture.devices.a1.id);
    const first = await request<PullResponse>(socket, SyncEvent.pull, { cursor: 0, limit: 4 });
    const total = first.changes.length + first.remaining;
    // Three brand-wide changes and one of branch B's arrive after the count.
    const brand = (await h.t.db('brands').first()) as Record<string, unknown>;
    for (const scope of ['brand', 'brand', 'branch:branch-b', 'brand'] as const) {
      await recordChange(h.t.db, {
        brandId: h.fixture.brandId,
        scopes: [scope],
        entity: 'brand',
        id: h.fixture.brandId,
        op: 'upsert',
        data: toBrandRow(brand),
        at: new Date(),
      });
    }
    const pages = [first];
    while (pages.at(-1)!.hasMore) {
      const page = await request<PullResponse>(socket, SyncEvent.pull, {
        cursor: pages.at(-1)!.cursor,
        limit: 4,
      });
      pages.push(page);
      if (pages.length > 100) throw new Error('pull never finishes');
    }
    // Carried from the first count (the newcomers are not in it) until it runs out, then recounted.
    expect(pages[1]!.remaining).toBe(first.remaining - pages[1]!.changes.length);
    for (const page of pages) expect(page.remaining > 0).toBe(page.hasMore);
    const delivered = pages.flatMap((p) => p.changes);
    expect(delivered).toHaveLength(total + 3);
    const seqs = delivered.map((c) => c.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    // A pull that starts again from its own cursor (a new round) counts afresh, exactly.
    const again = await request<PullResponse>(socket, SyncEvent.pull, { cursor: pages[1]!.cursor, limit: 4 });
    expect(again.remaining).toBe(
      delivered.length - pages[0]!.changes.length - pages[1]!.changes.length - again.changes.length,
    );
  });

  it("gives a branch A device brand-wide rows and branch A's rows, never branch B's", async () => {
    h = await startTestHub(kind);
    const f = h.fixture;
    const a = await connectFixtureDevice(h, f.devices.a1.id);
    const b = await connectFixtureDevice(h, f.devices.b1.id);
    const seenByA = (await pullAll(a.socket, 1000)).changes;
    const seenByB = (await pullAll(b.socket, 1000)).changes;
    const ids = (changes: Change[], entity: Change['entity']) =>
      changes
        .filter((c) => c.entity === entity)
        .map((c) => c.id)
        .sort();

    expect(ids(seenByA, 'brand')).toEqual([f.brandId]);
    expect(ids(seenByA, 'branch')).toEqual([f.branchA, f.branchB].sort());
    expect(ids(seenByA, 'staff')).toEqual(
      [f.staff.admin.id, f.staff.associateA.id, f.staff.managerA.id].sort(),
    );
    // Coupons and claims are brand-wide: a till must recognise another branch's coupon.
    const allCoupons = [f.coupons.everywhere, f.coupons.onlyA, f.coupons.onlyB].sort();
    const allClaims = [...f.claims.everywhere, ...f.claims.onlyA, ...f.claims.onlyB].map((c) => c.id).sort();
    expect(ids(seenByA, 'coupon')).toEqual(allCoupons);
    expect(ids(seenByA, 'claim')).toEqual(allClaims);

    expect(ids(seenByB, 'staff')).toEqual([f.staff.admin.id, f.staff.associateB.id].sort());
    expect(ids(seenByB, 'claim')).toEqual(allClaims);
    for (const c of seenByA.filter((c) => c.entity === 'staff' && c.op === 'upsert')) {
      expect(c.op === 'upsert' && 'pinHash' in c.data && c.data.pinHash.startsWith('scrypt$')).toBe(true);
    }
  });

  it("moves the cursor past other branches' changes, delivering only what the device may see", async () => {
    h = await startTestHub(kind);
    const f = h.fixture;
    const a = await connectFixtureDevice(h, f.devices.a1.id);
    const b = await connectFixtureDevice(h, f.devices.b1.id);
    const { pages } = await pullAll(a.socket, 1000);
    const poked = nextEvent<{ cursor: number }>(a.socket, SyncEvent.poke);
    const claim = f.claims.onlyB[0]!;
    const redeem = {
      id: uuidV7(),
      kind: 'redemption.create',
      payload: {
        claimId: claim.id,
        couponId: claim.couponId,
        staffId: f.staff.associateB.id,
        signInId: testSignInId(b.deviceId, f.staff.associateB.id),
        scannedCode: claim.code,
      },
      deviceTime: '2026-03-01T06:00:00.000Z',
    };
    await request(b.socket, SyncEvent.push, { mutations: [redeem] });
    const poke = await poked;
    const after = await request<PullResponse>(a.socket, SyncEvent.pull, { cursor: pages.at(-1)!.cursor });
    // Branch B's redemption row stays in B; the claim (brand-wide) reaches A as redeemed.
    expect(after.changes.map((c) => `${c.entity}:${c.id}`)).toEqual([`claim:${claim.id}`]);
    expect(after).toMatchObject({ cursor: poke.cursor, hasMore: false, remaining: 0 });
  });

  it('answers a malformed pull with an ack error', async () => {
    h = await startTestHub(kind);
    const { socket } = await connectFixtureDevice(h, h.fixture.devices.a1.id);
    const answer = await request(socket, SyncEvent.pull, { cursor: -1 });
    expect(answer).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
  });
});
