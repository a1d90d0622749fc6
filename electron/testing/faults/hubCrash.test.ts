/**
 * SPEC §5, the hub's side: a confirmed redemption survives a hub restart and a dropped
 * connection, and takes effect at the hub exactly once.
 *
 * - The hub (its own process) is SIGKILLed in the middle of a push, after committing it (a push is
 *   one transaction) and before acknowledging it; restarted on the same port and data, it answers
 *   the console's retry of the whole batch with `duplicate`, applying nothing twice.
 * - The connection drops after the hub committed and before its answer arrived (the ack is lost
 *   on the wire); the console's retry after reconnecting changes nothing twice.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHub } from '../../../backend-sync/hub/server';
import type { SyncStatus } from '../../core/consoleApi/contract';
import { bundleFaultScripts, endOf, startScript, type Bundles, type Child } from './processes';
import type { HubPlan } from './hubProcess';
import { startProxy, type Proxy } from './proxy';
import {
  drained,
  enrolledConsole,
  peekConsole,
  replayOutbox,
  seedFaultHubDb,
  type FaultHubDb,
} from './setup';

const HUB_FAULT = 'push:after-commit-before-ack';

describe('hub crash and lost acknowledgement between commit and ack', () => {
  let bundles: Bundles;
  const cleanups: (() => unknown)[] = [];
  beforeAll(async () => {
    bundles = await bundleFaultScripts();
  }, 60_000);
  afterAll(() => bundles.remove());
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  async function hubDatabase(): Promise<FaultHubDb> {
    const hubDb = await seedFaultHubDb(10);
    cleanups.push(() => hubDb.t.close());
    return hubDb;
  }

  async function consoleOf(hubDb: FaultHubDb, url: string) {
    const c = await enrolledConsole(url, hubDb.fixture.devices.a1.pairingCode, 'Till A1');
    cleanups.push(c.remove, () => c.close());
    const { staffCode, pin } = hubDb.fixture.staff.associateA;
    await c.call('session.signIn', { staffCode, pin });
    await c.waitForStatus(drained, 'the sign-in to sync');
    return c;
  }

  /** Every outbox entry of the console synced, and each at the hub once, applied. */
  async function expectExactlyOnce(hubDb: FaultHubDb, dataDir: string, claimIds: string[]): Promise<void> {
    const outbox = peekConsole<{ id: string; kind: string; status: string }>(
      dataDir,
      'SELECT id, kind, status FROM outbox ORDER BY seq',
    );
    expect(outbox.map((o) => o.status)).toEqual(outbox.map(() => 'synced'));
    const atHub = (await hubDb.t
      .db('mutations')
      .whereIn(
        'id',
        outbox.map((o) => o.id),
      )
      .select('id', 'outcome')) as {
      id: string;
      outcome: string;
    }[];
    expect(atHub.map((m) => m.id).sort()).toEqual(outbox.map((o) => o.id).sort());
    expect(atHub.map((m) => JSON.parse(m.outcome).status)).toEqual(atHub.map(() => 'applied'));
    const redemptions = (await hubDb.t
      .db('redemptions')
      .whereIn('claim_id', claimIds)
      .select('claim_id', 'status')) as {
      claim_id: string;
      status: string;
    }[];
    expect(redemptions.map((r) => r.claim_id).sort()).toEqual([...claimIds].sort());
    expect(redemptions.every((r) => r.status === 'applied')).toBe(true);
  }

  it('hub SIGKILLed mid-push after committing the batch of 8, before answering: restarted on the same port and data, the console drains, each mutation applied once', async () => {
    const hubDb = await hubDatabase();
    const dataDir = hubDb.t.options.dataDir;
    let hub: Child | null = null;
    cleanups.push(() => {
      if (hub && hub.proc.exitCode === null && hub.proc.signalCode === null) hub.proc.kill('SIGKILL');
    });
    const startHub = async (port: number, kill: HubPlan['kill']) => {
      hub = startScript(bundles.hub, { dataDir, port, kill } satisfies HubPlan);
      const line = await hub.waitForLine((l) => l.startsWith('LISTENING '), 'the hub to listen');
      return Number(line.split(' ')[1]);
    };

    const port = await startHub(0, null);
    const url = `http://127.0.0.1:${port}`;
    const c = await consoleOf(hubDb, url);

    // The hub stops (cleanly); the till redeems 8 claims offline.
    hub!.proc.kill('SIGTERM');
    await endOf(hub!, 10_000);
    await c.waitForStatus((s) => s.connection === 'offline', 'offline');
    const claims = hubDb.claims.slice(0, 8);
    const confirmed: string[] = [];
    for (const claim of claims) {
      confirmed.push((await c.call('till.redeem', { claimId: claim.id, scannedCode: claim.code })).id);
    }
    expect((await c.call('sync.status')).queued).toBe(8);

    // It comes back, takes the batch of 8, commits it (one transaction), and dies before answering.
    await startHub(port, { point: HUB_FAULT, hit: 1 });
    const died = await endOf(hub!, 20_000);
    expect(died.signal).toBe('SIGKILL');
    expect(died.lines).toContain(`KILLING ${HUB_FAULT} 1`);
    expect((await hubDb.t.db('redemptions').whereIn('id', confirmed).pluck('id')).sort()).toEqual(
      [...confirmed].sort(),
    );
    await c.waitForStatus((s) => s.connection === 'offline' && s.queued === 8, 'offline, still 8 queued');

    // Restarted on the same port and database: the console's retry drains the queue.
    await startHub(port, null);
    await c.waitForStatus(drained, 'the queue to drain after the hub restart', 15_000);
    await expectExactlyOnce(
      hubDb,
      c.dataDir,
      claims.map((x) => x.id),
    );
    const history = await c.call('till.history', { scope: 'device' });
    expect(history.items.map((i) => [i.id, i.syncState]).sort()).toEqual(
      confirmed.map((id) => [id, 'synced']).sort(),
    );
    // The hub remembers every answer: a further retry of the whole outbox is all duplicates.
    const again = await replayOutbox(url, c.dataDir);
    expect(
      again.map((r) => (r.status === 'duplicate' ? r.first.status : `not duplicate: ${r.status}`)),
    ).toEqual(again.map(() => 'applied'));
  });

  it('connection dropped after the hub committed, before its answer arrived: the retry gets duplicates, nothing applies twice', async () => {
    const hubDb = await hubDatabase();
    let proxy: Proxy | null = null;
    let dropAt = 0; // drop after this commit from now on (one commit per push; 0 = never)
    let commits = 0;
    let drops = 0;
    const hub = await createHub({
      port: 0,
      dataDir: hubDb.t.options.dataDir,
      databaseUrl: '',
      logLevel: 'silent',
      adminToken: 'fault-admin-token',
      faults: (point) => {
        if (point !== HUB_FAULT || dropAt === 0 || ++commits !== dropAt) return;
        dropAt = 0;
        drops += 1;
        proxy!.drop(); // the hub goes on and acknowledges into a closed connection
      },
    });
    cleanups.push(() => hub.close());
    proxy = await startProxy({ host: '127.0.0.1', port: hub.port });
    cleanups.push(() => proxy!.close());
    const c = await consoleOf(hubDb, proxy.url);

    proxy.block();
    await c.waitForStatus((s) => s.connection === 'offline', 'offline');
    const claims = hubDb.claims.slice(0, 5);
    for (const claim of claims) await c.call('till.redeem', { claimId: claim.id, scannedCode: claim.code });
    const offline: SyncStatus = await c.call('sync.status');
    expect(offline.queued).toBe(5);

    dropAt = 1;
    proxy.unblock();
    await c.waitForStatus(drained, 'the queue to drain after the drop', 15_000);
    expect(drops).toBe(1);
    await expectExactlyOnce(
      hubDb,
      c.dataDir,
      claims.map((x) => x.id),
    );
    const again = await replayOutbox(proxy.url, c.dataDir);
    expect(again.every((r) => r.status === 'duplicate' && r.first.status === 'applied')).toBe(true);
  });
});
