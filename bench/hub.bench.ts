/**
 * hub: one hub node at a chain's opening hour (bench/tills/openingHour.ts), 300 simulated tills
 * (BENCH_HUB_TILLS) on PostgreSQL (DATABASE_URL, a private schema) or on SQLite
 * (BENCH_HUB_DB=sqlite). The hub runs in its own process; the tills, the channel emulator and the
 * baselines in this one.
 *
 * - hub.signin_p99_ms: every till opens its associate's session (`session:open` with the PIN) at
 *   once, staff created before (the hub has their keyed PIN checks, staff/pinCheck.ts).
 *   Baseline: the same staff lookups and PIN checks (the hub's own check function) done at once
 *   directly on the same database, no socket.io. Target ≤ 1,000 ms.
 * - hub.signin_cold_p99_ms: the same after the keyed checks were cleared, so the hub checks every
 *   PIN by scrypt (a hub that never saw these PINs). Baseline: the same 300 scrypt checks at once
 *   on this process's thread pool.
 * - hub.push_p99_ms: every till pushes 5 redemptions, one push after the other, all tills at once.
 *   Baseline: the same writes (duplicate check, claim read under its lock, mutation, redemption,
 *   claim update, two change rows) in one transaction per redemption, directly, with the same
 *   concurrency. Target ≤ 500 ms on PostgreSQL.
 * - hub.first_pull_p99_ms: every till's first pull (pages of 5,000) at once. Baseline: the same
 *   change-log rows read directly (same scopes, same pages, JSON parsed) at once. Target ≤ 3,000 ms
 *   on PostgreSQL.
 * - hub.binding_p99_ms: a LINE customer's message → the customer in the associate's till (poke +
 *   pull), bindings one after the other. Baseline: the webhook's own answer (signature check,
 *   inbox commit).
 * - hub.push_per_s and hub.bystander_pokes_per_binding are printed with the report.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { createEmulator } from '../backend-sync/emulator/server';
import { testChannels } from '../backend-sync/emulator/testing';
import { verifySecretAsync } from '../backend-sync/domain/secrets';
import { keyFromDataDir, useSecretKeys } from '../backend-sync/hub/channels/secretBox';
import { verifyStaffPin } from '../backend-sync/hub/staff/pinCheck';
import { openTestDb, type TestDb } from '../backend-sync/hub/testing/databases';
import { startHubNode, stopHubNode } from './hubNodes';
import { CHAIN_PIN, seedChain, type Chain, type ChainTill } from './tills/chain';
import { latency, openingHour } from './tills/openingHour';
import type { BenchGroup, BenchResult } from './types';

const TILLS = Number(process.env.BENCH_HUB_TILLS ?? 300);
const REDEMPTIONS = 5;
const BINDINGS = Number(process.env.BENCH_HUB_BINDINGS ?? 20);
const PAGE_SIZE = 5000;

type Row = Record<string, unknown>;

async function signInBaseline(db: Knex, chain: Chain): Promise<number[]> {
  return Promise.all(
    chain.tills.map(async (t) => {
      const started = performance.now();
      const staff = (await db('staff').where({ id: t.staffId, brand_id: chain.brandId }).first()) as Row;
      if (!(await verifyStaffPin(db, staff, CHAIN_PIN))) throw new Error('baseline: PIN refused');
      return performance.now() - started;
    }),
  );
}

/** Claims for the push baseline, written (untimed) after the tills' run: the same as theirs. */
async function baselineClaims(db: Knex, chain: Chain): Promise<Map<string, ChainTill['claims']>> {
  const byTill = new Map(
    chain.tills.map((t) => [
      t.deviceId,
      t.claims.map((c) => ({ ...c, id: `${c.id}-b`, code: `${c.code}B` })),
    ]),
  );
  const now = new Date().toISOString();
  const rows = [...byTill.values()].flat().map((c) => ({
    id: c.id,
    brand_id: chain.brandId,
    coupon_id: c.couponId,
    customer_id: null,
    code: c.code,
    claim_token: `tok-${c.id}`,
    claimed_at: now,
  }));
  for (let i = 0; i < rows.length; i += 200) await db('claims').insert(rows.slice(i, i + 200));
  return byTill;
}

async function scryptBaseline(db: Knex, chain: Chain): Promise<number[]> {
  return Promise.all(
    chain.tills.map(async (t) => {
      const started = performance.now();
      const staff = (await db('staff').where({ id: t.staffId, brand_id: chain.brandId }).first()) as Row;
      if (!(await verifySecretAsync(CHAIN_PIN, String(staff.pin_hash))))
        throw new Error('baseline: PIN refused');
      return performance.now() - started;
    }),
  );
}

async function pushBaseline(db: Knex, chain: Chain): Promise<number[]> {
  const postgres = db.client.config.client === 'pg';
  const claims = await baselineClaims(db, chain);
  const samples: number[] = [];
  await Promise.all(
    chain.tills.map(async (t) => {
      for (let k = 0; k < REDEMPTIONS; k++) {
        const c = claims.get(t.deviceId)![k]!;
        const id = randomUUID();
        const now = new Date().toISOString();
        const started = performance.now();
        await db.transaction(async (trx) => {
          await trx('mutations').whereIn('id', [id]).select('id', 'device_id', 'outcome');
          const read = trx('claims').where({ id: c.id, brand_id: chain.brandId });
          await (postgres ? read.forUpdate() : read).first();
          await trx('mutations').insert({
            id,
            device_id: t.deviceId,
            kind: 'redemption.create',
            payload: JSON.stringify({
              claimId: c.id,
              couponId: c.couponId,
              staffId: t.staffId,
              scannedCode: c.code,
            }),
            device_time: now,
            outcome: JSON.stringify({ status: 'applied' }),
            received_at: now,
          });
          await trx('redemptions').insert({
            id,
            claim_id: c.id,
            coupon_id: c.couponId,
            device_id: t.deviceId,
            branch_id: t.branchId,
            staff_id: t.staffId,
            scanned_code: c.code,
            device_time: now,
            received_at: now,
            status: 'applied',
            winner_id: null,
          });
          await trx('claims').where({ id: c.id }).update({
            redeemed_at: now,
            redeemed_branch_id: t.branchId,
            redeemed_device_id: t.deviceId,
            redeemed_staff_id: t.staffId,
            redemption_id: id,
          });
          await trx('changes').insert(
            [`branch:${t.branchId}`, 'brand'].map((scope, i) => ({
              brand_id: chain.brandId,
              scope,
              entity: i === 0 ? 'redemption' : 'claim',
              entity_id: i === 0 ? id : c.id,
              op: 'upsert',
              data: JSON.stringify({ id, claimId: c.id, at: now }),
              created_at: now,
            })),
          );
        });
        samples.push(performance.now() - started);
      }
    }),
  );
  return samples;
}

async function firstPullBaseline(db: Knex, chain: Chain, upToSeq: number): Promise<number[]> {
  return Promise.all(
    chain.tills.map(async (t) => {
      const started = performance.now();
      let cursor = 0;
      for (;;) {
        const rows = (await db('changes')
          .where({ brand_id: chain.brandId })
          .whereIn('scope', ['brand', `branch:${t.branchId}`])
          .andWhere('seq', '>', cursor)
          .andWhere('seq', '<=', upToSeq)
          .orderBy('seq')
          .limit(PAGE_SIZE)
          .select('seq', 'entity', 'entity_id', 'op', 'data')) as Row[];
        for (const row of rows) if (row.data) JSON.parse(String(row.data));
        if (rows.length < PAGE_SIZE) break;
        cursor = Number(rows[rows.length - 1]!.seq);
      }
      return performance.now() - started;
    }),
  );
}

const group: BenchGroup = {
  name: 'hub',
  async run(): Promise<BenchResult[]> {
    const kind = process.env.BENCH_HUB_DB === 'sqlite' || !process.env.DATABASE_URL ? 'sqlite' : 'postgres';
    const t: TestDb = await openTestDb(kind);
    const emulator = await createEmulator({
      channels: testChannels,
      statusDelayMs: 5,
      enforceWhatsAppWindow: false,
    });
    try {
      // The hub process takes the same key from the same data folder (createHub).
      useSecretKeys([keyFromDataDir(t.options.dataDir)]);
      const chain = await seedChain(t.db, { tills: TILLS, claimsPerTill: REDEMPTIONS, extraClaims: TILLS });
      const seeded = (await t.db('changes').max({ m: 'seq' }).first()) as { m: number | string };
      const node = await startHubNode({
        dataDir: t.options.dataDir,
        ...(t.options.databaseUrl ? { databaseUrl: t.options.databaseUrl } : {}),
        ...(t.options.searchPath ? { searchPath: t.options.searchPath } : {}),
        lineApiBaseUrl: emulator.url,
        whatsappApiBaseUrl: emulator.url,
      });
      emulator.setHubUrl(node.url);
      let report;
      try {
        ({ report } = await openingHour({
          hubUrls: [node.url],
          chain,
          emulator,
          redemptionsPerTill: REDEMPTIONS,
          bindings: BINDINGS,
          enrollConcurrency: 25,
          beforeSignInAgain: async () => {
            await t.db('staff').where({ brand_id: chain.brandId }).update({ pin_check: null });
          },
          log: (line) => console.log(`hub (${kind}): ${line}`),
        }));
      } finally {
        await stopHubNode(node);
      }
      console.log(
        JSON.stringify(report, (_k, v: unknown) => (typeof v === 'number' ? Math.round(v * 10) / 10 : v), 2),
      );

      const signInCold = latency(await scryptBaseline(t.db, chain));
      // The hub stored the keyed checks again as it checked the PINs by scrypt.
      const signIn = latency(await signInBaseline(t.db, chain));
      const firstPull = latency(await firstPullBaseline(t.db, chain, Number(seeded.m)));
      const pushStarted = performance.now();
      const pushSamples = await pushBaseline(t.db, chain);
      const pushPerSecond = pushSamples.length / ((performance.now() - pushStarted) / 1000);
      const push = latency(pushSamples);
      const prefix = kind === 'postgres' ? 'hub' : 'hub.sqlite';
      return [
        { name: `${prefix}.signin_p99_ms`, value: report.signIn.p99, unit: 'ms', baseline: signIn.p99 },
        {
          name: `${prefix}.signin_cold_p99_ms`,
          value: report.signInAgain?.p99 ?? NaN,
          unit: 'ms',
          baseline: signInCold.p99,
        },
        { name: `${prefix}.push_p99_ms`, value: report.push.p99, unit: 'ms', baseline: push.p99 },
        {
          name: `${prefix}.push_per_s`,
          value: report.push.perSecond,
          unit: 'pushes/s',
          baseline: pushPerSecond,
        },
        {
          name: `${prefix}.first_pull_p99_ms`,
          value: report.firstPull.p99,
          unit: 'ms',
          baseline: firstPull.p99,
        },
        {
          name: `${prefix}.binding_p99_ms`,
          value: report.binding.p99,
          unit: 'ms',
          baseline: report.bindingWebhook.p99,
        },
      ];
    } finally {
      await emulator.close();
      await t.close();
    }
  },
};

export default group;
