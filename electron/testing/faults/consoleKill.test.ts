/**
 * SPEC §5: "No redemption the console confirmed is ever lost: not to power loss, kill -9 …
 * Each mutation takes effect at the hub exactly once."
 *
 * ≥ 100 short console lives killed with SIGKILL, each a child process (worker.ts) on an enrolled
 * data folder: it signs in and redeems a few fresh claims while the sync engine pushes and pulls,
 * and a seeded plan SIGKILLs it at the n-th hit of one of the core's fault points (inside the
 * redemption's transaction, after its commit, around a push, around a pulled page). After each
 * kill a life without faults must drain the outbox. Two tills (a1, a2) run their lives side by
 * side against one hub (half the wall time, and their pushes interleave at the hub).
 *
 * Then, against the hub's database: every redemption a console confirmed is there exactly once
 * and applied, no claim is redeemed twice, nothing arrived that a console did not make, and each
 * console's own record agrees (nothing queued, everything synced).
 *
 * Replay a failure with FAULT_SEED=<seed printed>; FAULT_RUNS=<n> for more or fewer runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHub, type Hub } from '../../../backend-sync/hub/server';
import type { FaultPoint } from '../../core/sync/faults';
import { chooseSeed, mulberry32 } from './prng';
import { bundleFaultScripts, endOf, startScript, type Bundles } from './processes';
import { enrolledConsole, peekConsole, seedFaultHubDb, type FaultHubDb } from './setup';
import type { WorkerPlan } from './worker';

const RUNS = Number(process.env.FAULT_RUNS ?? 100);
const SEED = chooseSeed(20_261_123);
const CLAIMS_PER_LIFE = 3;
const TILLS = ['a1', 'a2'] as const;
const POINTS: readonly FaultPoint[] = [
  'redeem:before-commit',
  'redeem:after-commit',
  'sync:before-push',
  'sync:after-push-ack',
  'sync:after-answers-stored',
  'sync:before-pull-apply',
  'sync:after-pull-apply',
];

/**
 * How many times a life reaches each point, roughly: every redemption passes the redeem points;
 * redeeming 'at-once' (before the connection is up) makes one push, 'online' up to one per
 * redemption; every life pulls on connect and once more before it exits.
 */
function maxHit(point: FaultPoint, redeemWhen: WorkerPlan['redeemWhen']): number {
  if (point.startsWith('redeem:')) return CLAIMS_PER_LIFE;
  if (point.includes('pull')) return redeemWhen === 'online' ? 3 : 2;
  return redeemWhen === 'online' ? 2 : 1;
}

interface Till {
  name: (typeof TILLS)[number];
  deviceId: string;
  dataDir: string;
}

describe('console core killed with SIGKILL at random points of redeem and sync', () => {
  let bundles: Bundles;
  let hubDb: FaultHubDb;
  let hub: Hub;
  const tills: Till[] = [];
  const cleanups: (() => unknown)[] = [];

  beforeAll(async () => {
    bundles = await bundleFaultScripts();
    cleanups.push(() => bundles.remove());
    hubDb = await seedFaultHubDb(RUNS * CLAIMS_PER_LIFE);
    cleanups.push(() => hubDb.t.close());
    hub = await createHub({
      port: 0,
      dataDir: hubDb.t.options.dataDir,
      databaseUrl: '',
      logLevel: 'silent',
      adminToken: 'fault-admin-token',
    });
    cleanups.push(() => hub.close());
    // Enroll each till once, in this process; every life after that reuses its folder.
    for (const name of TILLS) {
      const device = hubDb.fixture.devices[name];
      const c = await enrolledConsole(hub.url, device.pairingCode, `Till ${name}`);
      await c.close();
      cleanups.push(c.remove);
      tills.push({ name, deviceId: device.id, dataDir: c.dataDir });
    }
  }, 60_000);

  afterAll(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  it(`never loses or doubles a confirmed redemption over ${RUNS} kill -9 runs (seed ${SEED})`, async () => {
    const started = performance.now();
    const { staffCode, pin } = hubDb.fixture.staff.associateA;
    const staff = { staffCode, pin };
    const confirmed = new Map<string, { claimId: string; till: string }>(); // redemption id → …
    const kills = new Map<string, number>();
    let lives = 0;

    const live = async (plan: WorkerPlan, what: string) => {
      lives += 1;
      const exit = await endOf(startScript(bundles.worker, plan), 30_000);
      for (const line of exit.lines) {
        const [word, claimId, redemptionId] = line.split(' ');
        if (word === 'CONFIRMED') confirmed.set(redemptionId!, { claimId: claimId!, till: what });
      }
      const context = `${what} (FAULT_SEED=${SEED})\n${exit.lines.join('\n')}\n${exit.stderr}`;
      expect(
        exit.lines.filter((l) => /^(REFUSED|ERROR)/.test(l)),
        context,
      ).toEqual([]);
      return { exit, context };
    };

    const runTill = async (till: Till, index: number) => {
      const prng = mulberry32(SEED + index);
      for (let run = index; run < RUNS; run += TILLS.length) {
        const redeemWhen = prng.pick(['at-once', 'online'] as const);
        const point = prng.pick(POINTS);
        const hit = prng.int(1, maxHit(point, redeemWhen));
        const claims = hubDb.claims.slice(run * CLAIMS_PER_LIFE, (run + 1) * CLAIMS_PER_LIFE);
        const what = `till ${till.name} run ${run}: redeem ${redeemWhen}, kill at ${point} #${hit}`;
        const { exit, context } = await live(
          {
            dataDir: till.dataDir,
            staff,
            claims: claims.map((c) => ({ id: c.id, code: c.code })),
            redeemWhen,
            kill: { point, hit },
            drainTimeoutMs: 15_000,
          },
          what,
        );
        if (exit.signal === 'SIGKILL') {
          expect(exit.lines.at(-1), context).toBe(`KILLING ${point} ${hit}`);
          kills.set(point, (kills.get(point) ?? 0) + 1);
          // The next start, without faults, must drain what the killed one left queued.
          const drain = await live(
            {
              dataDir: till.dataDir,
              staff: null,
              claims: [],
              redeemWhen: 'at-once',
              kill: null,
              drainTimeoutMs: 15_000,
            },
            `${what}, then the drain`,
          );
          expect(drain.exit.code, drain.context).toBe(0);
        } else {
          // The planned hit never came (this life pulled or pushed fewer times): it just finished.
          expect(exit.code, context).toBe(0);
        }
        // After every drain, everything this till confirmed so far is at the hub.
        const mine = [...confirmed]
          .filter(([, c]) => c.till.startsWith(`till ${till.name} `))
          .map(([id]) => id);
        const atHub = new Set(
          ((await hubDb.t.db('redemptions').whereIn('id', mine).select('id')) as { id: string }[]).map(
            (r) => r.id,
          ),
        );
        expect(
          mine.filter((id) => !atHub.has(id)),
          `${what}: confirmed but not at the hub (FAULT_SEED=${SEED})`,
        ).toEqual([]);
      }
    };
    await Promise.all(tills.map(runTill));

    const redemptions = (await hubDb.t.db('redemptions').select('id', 'claim_id', 'device_id', 'status')) as {
      id: string;
      claim_id: string;
      device_id: string;
      status: string;
    }[];
    const mutations = (await hubDb.t
      .db('mutations')
      .where({ kind: 'redemption.create' })
      .select('id', 'device_id')) as { id: string; device_id: string }[];

    // Every confirmed redemption exactly once, applied, for the claim the cashier redeemed.
    for (const [id, { claimId, till }] of confirmed) {
      expect(
        redemptions.filter((r) => r.id === id).map((r) => ({ claim: r.claim_id, status: r.status })),
        `confirmed redemption ${id} of ${till} (FAULT_SEED=${SEED})`,
      ).toEqual([{ claim: claimId, status: 'applied' }]);
      expect(mutations.filter((m) => m.id === id)).toHaveLength(1);
    }
    // No claim redeemed twice (a retry under a new id would show here).
    const perClaim = new Map<string, number>();
    for (const r of redemptions) perClaim.set(r.claim_id, (perClaim.get(r.claim_id) ?? 0) + 1);
    expect(
      [...perClaim].filter(([, n]) => n > 1),
      `claims redeemed twice (FAULT_SEED=${SEED})`,
    ).toEqual([]);
    expect(redemptions.filter((r) => r.status !== 'applied')).toEqual([]);

    // Each console agrees: nothing left queued or refused, and the hub holds exactly the
    // console's own redemptions (those killed after their commit but before "redeemed" was
    // shown included: committed means kept).
    for (const till of tills) {
      const outbox = peekConsole<{ id: string; kind: string; status: string }>(
        till.dataDir,
        'SELECT id, kind, status FROM outbox ORDER BY seq',
      );
      expect(
        outbox.filter((o) => o.status !== 'synced'),
        `${till.name}: outbox not synced`,
      ).toEqual([]);
      const local = peekConsole<{ id: string; state: string }>(
        till.dataDir,
        'SELECT id, state FROM till_redemptions WHERE own = 1',
      );
      expect(local.filter((r) => r.state !== 'synced')).toEqual([]);
      const hubIds = redemptions.filter((r) => r.device_id === till.deviceId).map((r) => r.id);
      expect(new Set(hubIds)).toEqual(new Set(local.map((r) => r.id)));
      expect(new Set(mutations.filter((m) => m.device_id === till.deviceId).map((m) => m.id))).toEqual(
        new Set(outbox.filter((o) => o.kind === 'redemption.create').map((o) => o.id)),
      );
    }

    const seconds = (performance.now() - started) / 1000;
    const killed = [...kills.values()].reduce((a, b) => a + b, 0);
    console.log(
      `[faults] FAULT_SEED=${SEED}: ${RUNS} runs on ${TILLS.length} tills, ${killed} SIGKILLs ` +
        `(${[...kills].map(([p, n]) => `${p} ${n}`).join(', ')}), ${lives} console lives, ` +
        `${confirmed.size} confirmed / ${redemptions.length} at the hub, ${seconds.toFixed(1)} s`,
    );
    // The plan must really exercise the kills, not mostly run to completion.
    expect(killed).toBeGreaterThanOrEqual(Math.floor(RUNS * 0.7));
  }, 600_000);
});
