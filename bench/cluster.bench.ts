/**
 * cluster: the opening hour (bench/tills/openingHour.ts) on three hub nodes sharing PostgreSQL
 * (DATABASE_URL, a private schema) and Redis (REDIS_URL, default redis://127.0.0.1:6379), till i
 * on node i % 3, each beside the same run on one node (same machine, same run):
 *
 * - cluster.to_console_p99_ms: a LINE customer's message, received by node 1 → the customer in the
 *   associate's till (poke through Redis + pull), two in three of those tills on another node.
 *   Baseline: the same on one node. Target ≤ 300 ms.
 * - cluster.push_per_s: every till pushing its redemptions at once. Baseline: one node; the
 *   ratio should be ≥ 0.8 on this 2-core machine (the nodes share its cores: coordination must
 *   cost little; on separate machines it should scale).
 * - cluster.dup_sends: LINE messages the emulator received twice for one customer (each binding
 *   is answered once). Baseline: 0.
 *
 * BENCH_CLUSTER_TILLS (default 300) sets the size.
 */
import { createEmulator } from '../backend-sync/emulator/server';
import { testChannels } from '../backend-sync/emulator/testing';
import { keyFromDataDir, useSecretKeys } from '../backend-sync/hub/channels/secretBox';
import { openTestDb } from '../backend-sync/hub/testing/databases';
import { startHubNode, stopHubNode, type HubNode } from './hubNodes';
import { seedChain } from './tills/chain';
import { openingHour, type OpeningHourReport } from './tills/openingHour';
import type { BenchGroup, BenchResult } from './types';

const TILLS = Number(process.env.BENCH_CLUSTER_TILLS ?? 300);
const REDEMPTIONS = 5;
const BINDINGS = 20;

/** One opening hour on `nodes` hub processes; the emulator's LINE duplicates counted after. */
async function openingHourOn(nodes: number): Promise<{ report: OpeningHourReport; dupSends: number }> {
  const t = await openTestDb('postgres');
  const emulator = await createEmulator({
    channels: testChannels,
    statusDelayMs: 5,
    enforceWhatsAppWindow: false,
  });
  const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  try {
    // Every node takes the same key from the same data folder (createHub).
    useSecretKeys([keyFromDataDir(t.options.dataDir)]);
    const chain = await seedChain(t.db, { tills: TILLS, claimsPerTill: REDEMPTIONS, extraClaims: TILLS });
    // A node with REDIS_URL in its environment joins the others through Redis (createHub).
    if (nodes > 1) process.env.REDIS_URL = redisUrl;
    else delete process.env.REDIS_URL;
    const started: HubNode[] = [];
    try {
      for (let i = 0; i < nodes; i++)
        started.push(
          await startHubNode({
            dataDir: t.options.dataDir,
            databaseUrl: t.options.databaseUrl!,
            searchPath: t.options.searchPath!,
            lineApiBaseUrl: emulator.url,
            whatsappApiBaseUrl: emulator.url,
          }),
        );
      emulator.setHubUrl(started[0]!.url);
      const { report } = await openingHour({
        hubUrls: started.map((n) => n.url),
        chain,
        emulator,
        redemptionsPerTill: REDEMPTIONS,
        bindings: BINDINGS,
        enrollConcurrency: 25,
        log: (line) => console.log(`cluster (${nodes} node${nodes > 1 ? 's' : ''}): ${line}`),
      });
      const perCustomer = new Map<string, number>();
      for (const sent of emulator.state.sent({ channel: 'line' }))
        for (const to of sent.to) perCustomer.set(to, (perCustomer.get(to) ?? 0) + 1);
      return { report, dupSends: [...perCustomer.values()].filter((n) => n > 1).length };
    } finally {
      await Promise.all(started.map(stopHubNode));
      process.env.REDIS_URL = redisUrl;
    }
  } finally {
    await emulator.close();
    await t.close();
  }
}

const group: BenchGroup = {
  name: 'cluster',
  async run(): Promise<BenchResult[]> {
    if (!process.env.DATABASE_URL) throw new Error('cluster: set DATABASE_URL (PostgreSQL)');
    const one = await openingHourOn(1);
    const three = await openingHourOn(3);
    return [
      {
        name: 'cluster.to_console_p99_ms',
        value: three.report.binding.p99,
        unit: 'ms',
        baseline: one.report.binding.p99,
      },
      {
        name: 'cluster.push_per_s',
        value: three.report.push.perSecond,
        unit: 'pushes/s',
        baseline: one.report.push.perSecond,
      },
      { name: 'cluster.dup_sends', value: three.dupSends, unit: 'messages', baseline: 0 },
    ];
  },
};

export default group;
