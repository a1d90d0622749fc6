/**
 * A chain's opening hour against one hub or several nodes of one (`hubUrls`: till i talks to
 * hubUrls[i % n]): every till enrolls, connects, pulls its first sync, opens its associate's
 * session and pushes its redemptions, each phase started for all tills at once; then LINE
 * customers bind to associates one after the other and each is timed until the associate's till
 * has pulled it. Reports p50/p99 per phase, and what the pokes cost: pulls per till while everyone
 * pushed, and how many tills of the other branch were poked by the bindings.
 */
import type { Emulator } from '../../backend-sync/emulator/server';
import { percentile } from '../types';
import type { Chain } from './chain';
import { SimTill, TillError } from './till';

export interface OpeningHourOptions {
  hubUrls: string[];
  chain: Chain;
  /** Plays the LINE customers; its webhooks go to the hub (any node). */
  emulator: Emulator;
  redemptionsPerTill: number;
  /** LINE bindings timed one after the other. */
  bindings: number;
  /** Enrollments in flight at once (an installer's pace, not the burst measured). */
  enrollConcurrency: number;
  log?: (line: string) => void;
  /**
   * Called after the bindings; then every till signs in again at once (report.signInAgain), e.g.
   * to time sign-ins the hub checks by scrypt after this hook cleared its keyed PIN checks.
   */
  beforeSignInAgain?: () => Promise<void>;
}

export interface Latency {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

export interface OpeningHourReport {
  tills: number;
  /** Failed requests by error code (0 expected: the figures of a failing run mean little). */
  errors: Record<string, number>;
  enroll: Latency;
  connect: Latency;
  firstPull: Latency & { changesPerTill: number };
  signIn: Latency;
  signInAgain: Latency | null;
  push: Latency & { perSecond: number; pullsPerTill: { mean: number; max: number } };
  /** bystanderPokes: tills other than the associate's poked per binding (on average). */
  binding: Latency & { bystanderPokes: number };
  /** The binding webhook's own answer (signature check, inbox commit), as the emulator saw it. */
  bindingWebhook: Latency;
}

export const latency = (samples: number[]): Latency => ({
  n: samples.length,
  p50: percentile(samples, 0.5),
  p99: percentile(samples, 0.99),
  max: Math.max(...samples),
});

/**
 * Runs `task` for every item at once (or `concurrency` at a time) and returns each one's ms; a
 * failure is counted in `errors` by its code (and timed like the others), not thrown, so a hub
 * that fails under load still gets its figures.
 */
async function timed<T>(
  items: T[],
  task: (item: T) => Promise<void>,
  errors: Map<string, number>,
  concurrency = items.length,
) {
  const samples: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      const started = performance.now();
      await task(item).catch((err: unknown) => {
        const code = err instanceof TillError ? err.code : String(err);
        errors.set(code, (errors.get(code) ?? 0) + 1);
      });
      samples.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return samples;
}

/**
 * Waits until no till pulls and none has been pulled or poked for `quietMs` (pokes are coalesced
 * at the hub, so they may come a little after the write that caused them).
 */
async function settle(tills: SimTill[], quietMs = 250): Promise<void> {
  const activity = () => tills.reduce((n, t) => n + t.pulls + t.pokes, 0);
  let last = -1;
  for (;;) {
    await Promise.all(tills.map((t) => t.idle()));
    const now = activity();
    if (now === last) return;
    last = now;
    await new Promise((resolve) => setTimeout(resolve, quietMs));
  }
}

export async function openingHour(
  options: OpeningHourOptions,
): Promise<{ report: OpeningHourReport; tills: SimTill[] }> {
  const log = options.log ?? (() => undefined);
  const { chain, hubUrls } = options;
  const tills = chain.tills.map((plan, i) => new SimTill(plan, hubUrls[i % hubUrls.length]!));
  try {
    const errors = new Map<string, number>();
    const enroll = await timed(tills, (t) => t.enroll(), errors, options.enrollConcurrency);
    log(`enrolled ${tills.length} tills`);
    const connect = await timed(tills, (t) => t.connect(), errors);
    const firstPull = await timed(tills, (t) => t.pullAll(), errors);
    const changesPerTill = tills.reduce((n, t) => n + t.changesReceived, 0) / tills.length;
    log(`first pull: ${changesPerTill.toFixed(0)} changes per till`);
    const signIn = await timed(
      tills,
      async (t) => {
        await t.signIn();
      },
      errors,
    );
    await Promise.all(tills.map((t) => t.pullAll()));
    await settle(tills);

    const pullsBefore = tills.map((t) => t.pulls);
    const pushStarted = performance.now();
    const pushSamples: number[] = [];
    await Promise.all(
      tills.map(async (t) => {
        for (let k = 0; k < options.redemptionsPerTill; k++) {
          const started = performance.now();
          await t.redeem(k).catch((err: unknown) => {
            const code = err instanceof TillError ? err.code : String(err);
            errors.set(`push ${code}`, (errors.get(`push ${code}`) ?? 0) + 1);
          });
          pushSamples.push(performance.now() - started);
        }
      }),
    );
    const pushSeconds = (performance.now() - pushStarted) / 1000;
    await settle(tills);
    const pulls = tills.map((t, i) => t.pulls - pullsBefore[i]!);
    log(`pushed ${pushSamples.length} redemptions in ${pushSeconds.toFixed(1)} s`);

    const bindingSamples: number[] = [];
    const webhookSamples: number[] = [];
    let bystanderPokes = 0;
    for (let b = 0; b < options.bindings; b++) {
      const till = tills[Math.floor((b * tills.length) / options.bindings)]!;
      const pokesBefore = tills.map((t) => t.pokes);
      const arrived = till.nextNewCustomer();
      const started = performance.now();
      const said = await options.emulator.say({
        channel: 'line',
        user: `U${String(b).padStart(4, '0')}${'0'.repeat(28)}`,
        text: `聯絡專員 ${till.plan.staffCode}`,
      });
      if (said.hub.status !== 200) throw new Error(`binding webhook answered ${said.hub.status}`);
      webhookSamples.push(performance.now() - started);
      await arrived;
      bindingSamples.push(performance.now() - started);
      await settle(tills);
      // Tills other than the associate's cannot see the customer: a poke to them is wasted.
      bystanderPokes += tills.reduce((n, t, i) => n + (t === till ? 0 : t.pokes - pokesBefore[i]!), 0);
    }

    let signInAgain: Latency | null = null;
    if (options.beforeSignInAgain) {
      await options.beforeSignInAgain();
      signInAgain = latency(
        await timed(
          tills,
          async (t) => {
            await t.signIn();
          },
          errors,
        ),
      );
    }

    const report: OpeningHourReport = {
      tills: tills.length,
      errors: Object.fromEntries(errors),
      enroll: latency(enroll),
      connect: latency(connect),
      firstPull: { ...latency(firstPull), changesPerTill },
      signIn: latency(signIn),
      signInAgain,
      push: {
        ...latency(pushSamples),
        perSecond: pushSamples.length / pushSeconds,
        pullsPerTill: { mean: pulls.reduce((a, b) => a + b, 0) / pulls.length, max: Math.max(...pulls) },
      },
      binding: { ...latency(bindingSamples), bystanderPokes: bystanderPokes / options.bindings },
      bindingWebhook: latency(webhookSamples),
    };
    return { report, tills };
  } finally {
    for (const t of tills) t.close();
  }
}
