/**
 * Pokes at opening hour: a change pokes only the sockets that read its scope (a branch's tills, a
 * staff session's lists), and a burst of pushes makes a few pulls per till, not one per push. A
 * poke a socket must NOT get is shown by a marker: a brand-wide change notified afterwards, whose
 * poke is the first that socket receives.
 */
import type { Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { uuidV7 } from '../../domain/clock';
import { SyncEvent, type Poke, type PullResponse } from '../../protocol';
import { recordChange, type Scope } from '../db/changes';
import { testDbKinds } from '../testing/databases';
import { lineBody, lineTextEvent, postLine, startChannelHub, type ChannelHub } from '../webhooks/testing';
import { latestSeq } from './pull';
import { push, redeem } from './mutations/testing';
import { connectFixtureDevice, request, startTestHub, type DeviceClient, type TestHub } from './testing';

/** Every poke a socket receives, and a promise for the first one at or past a cursor. */
function pokesOf(socket: Socket) {
  const seen: number[] = [];
  const waiters: { cursor: number; resolve: (first: number) => void }[] = [];
  socket.on(SyncEvent.poke, (poke: Poke) => {
    seen.push(poke.cursor);
    for (const w of waiters.filter((w) => poke.cursor >= w.cursor)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(seen[0]!);
    }
  });
  return {
    seen,
    /** Resolves, once a poke at or past `cursor` came, with the first poke this socket ever got. */
    firstWhenAt: (cursor: number) =>
      new Promise<number>((resolve) => {
        if (seen.some((c) => c >= cursor)) resolve(seen[0]!);
        else waiters.push({ cursor, resolve });
      }),
  };
}

/** A change in `scope` written the way the admin API writes one, then the hub told of it. */
async function changeIn(
  db: TestHub['t']['db'],
  notify: (brandId: string) => void,
  brandId: string,
  scope: Scope,
) {
  await recordChange(db, {
    brandId,
    scopes: [scope],
    entity: 'branch',
    id: 'branch-a',
    op: 'upsert',
    data: { id: 'branch-a', brandId, name: 'Branch A', code: 'A' },
    at: new Date(),
  });
  const seq = await latestSeq(db, brandId);
  notify(brandId);
  return seq;
}

describe.each(testDbKinds())('pokes on %s', (kind) => {
  let h: TestHub | undefined;
  let ch: ChannelHub | undefined;
  afterEach(async () => {
    await h?.close();
    await ch?.close();
    h = ch = undefined;
  });

  it("pokes branch A's tills, not branch B's, for a change only branch A reads", async () => {
    h = await startTestHub(kind);
    const f = h.fixture;
    const a1 = await connectFixtureDevice(h, f.devices.a1.id);
    const b1 = await connectFixtureDevice(h, f.devices.b1.id);
    const atA = pokesOf(a1.socket);
    const atB = pokesOf(b1.socket);
    const notify = (brandId: string) => h!.hub.notifyChanges(brandId);
    // A first brand-wide change gives the hub a reading of the log to find later scopes from.
    const warmUp = await changeIn(h.t.db, notify, f.brandId, 'brand');
    await atB.firstWhenAt(warmUp);

    const branchOnly = await changeIn(h.t.db, notify, f.brandId, 'branch:branch-a');
    await atA.firstWhenAt(branchOnly);
    const marker = await changeIn(h.t.db, notify, f.brandId, 'brand');
    await atB.firstWhenAt(marker);
    expect(atB.seen).toEqual([warmUp, marker]);
  });

  it('makes a few pulls per till for a burst of 50 pushes, each till ending with every change', async () => {
    h = await startTestHub(kind, { claimsPerCoupon: 50 });
    const f = h.fixture;
    const pusher = await connectFixtureDevice(h, f.devices.a1.id);
    const tills = [
      await connectFixtureDevice(h, f.devices.a2.id),
      await connectFixtureDevice(h, f.devices.b1.id),
    ];
    /** Pulls on every poke, one pull at a time (a poke during a pull makes one more), as consoles do. */
    const follow = (d: DeviceClient) => {
      const state = { cursor: 0, pulls: 0, running: null as Promise<void> | null, again: false };
      const pull = (): Promise<void> => {
        if (state.running) {
          state.again = true;
          return state.running;
        }
        state.running = (async () => {
          do {
            state.again = false;
            for (;;) {
              const page = await request<PullResponse>(d.socket, SyncEvent.pull, {
                cursor: state.cursor,
                limit: 5000,
              });
              state.pulls++;
              state.cursor = page.cursor;
              if (!page.hasMore) break;
            }
          } while (state.again);
          state.running = null;
        })();
        return state.running;
      };
      d.socket.on(SyncEvent.poke, () => void pull());
      return { state, pull };
    };
    const followers = tills.map(follow);
    await Promise.all(followers.map((f) => f.pull()));
    const before = followers.map((f) => f.state.pulls);

    const answers = await Promise.all(
      f.claims.everywhere.map((claim) =>
        push(pusher, [redeem(claim, f.staff.associateA.id, '2026-03-01T05:00:00.000Z', uuidV7())]),
      ),
    );
    expect(answers.map((a) => a.results[0]!.status)).toEqual(f.claims.everywhere.map(() => 'applied'));
    const last = await latestSeq(h.t.db, f.brandId);
    await Promise.all(tills.map((t) => pokesOf(t.socket).firstWhenAt(last)));
    await Promise.all(
      followers.map(async (f) => {
        while (f.state.running) await f.state.running;
      }),
    );
    for (const [i, follower] of followers.entries()) {
      expect(follower.state.cursor).toBeGreaterThanOrEqual(last);
      expect(follower.state.pulls - before[i]!).toBeLessThanOrEqual(5);
    }
  });

  it("pokes only the bound associate's session for a LINE binding, not other tills or sessions", async () => {
    ch = await startChannelHub(kind);
    const f = ch.fixture;
    const h2 = { t: ch.t, hub: ch.hub };
    const a1 = await connectFixtureDevice(h2, f.devices.a1.id);
    const a2 = await connectFixtureDevice(h2, f.devices.a2.id);
    const b1 = await connectFixtureDevice(h2, f.devices.b1.id);
    // The associate of A signed in on a1; B's associate on b1; nobody on a2.
    await request(a1.socket, SyncEvent.sessionOpen, {
      staffId: f.staff.associateA.id,
      pin: f.staff.associateA.pin,
    });
    await request(b1.socket, SyncEvent.sessionOpen, {
      staffId: f.staff.associateB.id,
      pin: f.staff.associateB.pin,
    });
    const atA1 = pokesOf(a1.socket);
    const atA2 = pokesOf(a2.socket);
    const atB1 = pokesOf(b1.socket);
    const notify = (brandId: string) => ch!.hub.notifyChanges(brandId);
    const warmUp = await changeIn(ch.t.db, notify, f.brandId, 'brand');
    await Promise.all([atA1, atA2, atB1].map((p) => p.firstWhenAt(warmUp)));

    const res = await postLine(
      ch.hub,
      lineBody([lineTextEvent({ userId: 'U' + 'c'.repeat(32), text: '聯絡專員 A101' })]),
    );
    expect(res.status).toBe(200);
    await ch.hub.channels.inbox.idle();
    const bound = await ch.t.db('customers').where({ bound_staff_id: f.staff.associateA.id }).first();
    expect(bound).toBeTruthy();
    const binding = await latestSeq(ch.t.db, f.brandId);
    await atA1.firstWhenAt(binding);
    const marker = await changeIn(ch.t.db, notify, f.brandId, 'brand');
    await Promise.all([atA2, atB1].map((p) => p.firstWhenAt(marker)));
    expect(atA2.seen).toEqual([warmUp, marker]);
    expect(atB1.seen).toEqual([warmUp, marker]);
  });
});
