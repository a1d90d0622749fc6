/**
 * One life of a console, run as a child process by the kill tests (bundled once by
 * processes.ts). It opens the console core on an enrolled data folder, signs in, redeems the
 * claims it is given one after the other while the sync engine pushes and pulls, waits until the
 * outbox is empty, and exits.
 *
 * With a `kill` plan, the core's fault hook SIGKILLs this process the `hit`-th time it reaches
 * `point` — no cleanup, no flush, like kill -9 or a power cut (SQLite's WAL with synchronous=FULL
 * is what has to hold).
 *
 * stdout, one line each, written synchronously (fs.writeSync) so nothing printed is lost to the
 * kill:
 *   CONFIRMED <claimId> <redemptionId>  only after till.redeem resolved (the cashier saw "redeemed")
 *   REFUSED <claimId> <code>            till.redeem answered an error
 *   KILLING <point> <hit>               about to SIGKILL itself
 *   DRAINED                             the outbox is empty and a last sync round went through
 *   ERROR <message>                     anything unexpected (exit code 2; 3 = drain timed out)
 */
import { writeSync } from 'node:fs';
import pino from 'pino';
import type {
  ApiResult,
  ConsoleInput,
  ConsoleMethod,
  ConsoleOutput,
  SyncStatus,
} from '../../core/consoleApi/contract';
import { createConsoleCore } from '../../core/index';
import { createKeyfileSecretStore } from '../../core/secrets/keyfile';

export interface WorkerPlan {
  dataDir: string;
  /** Who signs in before redeeming (null: no sign-in, e.g. a drain-only life). */
  staff: { staffCode: string; pin: string } | null;
  claims: { id: string; code: string }[];
  /**
   * 'at-once': redeem right after sign-in (usually before the hub connection is up, so the first
   * push carries them all); 'online': wait for the connection first, so each redemption's push
   * races the next redemption.
   */
  redeemWhen: 'at-once' | 'online';
  /** SIGKILL this process the `hit`-th time the core reaches fault point `point`. */
  kill: { point: string; hit: number } | null;
  drainTimeoutMs: number;
}

const say = (line: string): void => {
  writeSync(1, line + '\n');
};

async function main(plan: WorkerPlan): Promise<void> {
  const hits = new Map<string, number>();
  const core = await createConsoleCore({
    dataDir: plan.dataDir,
    secretStore: createKeyfileSecretStore(plan.dataDir),
    host: 'web',
    appVersion: '0.0.0-fault',
    logger: pino({ level: process.env.FAULT_WORKER_LOG_LEVEL ?? 'silent' }, pino.destination(2)),
    // Quick reconnects: each life is short and the hub is on loopback.
    sync: { reconnectDelayMs: 20, reconnectDelayMaxMs: 200, roundRetryMs: 50, requestTimeoutMs: 5000 },
    faults: (point) => {
      if (!plan.kill || point !== plan.kill.point) return;
      const hit = (hits.get(point) ?? 0) + 1;
      hits.set(point, hit);
      if (hit !== plan.kill.hit) return;
      say(`KILLING ${point} ${hit}`);
      process.kill(process.pid, 'SIGKILL');
    },
  });

  const call = <M extends ConsoleMethod>(method: M, input?: ConsoleInput<M>) =>
    core.dispatch(method, input) as Promise<ApiResult<ConsoleOutput<M>>>;
  const statuses: ((s: SyncStatus) => void)[] = [];
  core.onEvent((name, payload) => {
    if (name === 'sync.status') for (const l of statuses) l(payload as SyncStatus);
  });

  const whenStatus = (accept: (s: SyncStatus) => boolean, timeoutMs: number, onTimeout: () => Error) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(onTimeout()), timeoutMs);
      const check = (s: SyncStatus) => {
        if (!accept(s)) return;
        clearTimeout(timer);
        resolve();
      };
      statuses.push(check);
      void call('sync.status').then((r) => r.ok && check(r.value));
    });
  const online = (s: SyncStatus) => s.connection === 'online';

  if (plan.redeemWhen === 'online' && plan.claims.length > 0) {
    await whenStatus(online, plan.drainTimeoutMs, () => new Error('never connected to the hub'));
  }
  if (plan.staff) {
    const signedIn = await call('session.signIn', plan.staff);
    if (!signedIn.ok) throw new Error(`sign-in failed: ${signedIn.error.code}`);
  }
  for (const claim of plan.claims) {
    const result = await call('till.redeem', { claimId: claim.id, scannedCode: claim.code });
    if (result.ok) say(`CONFIRMED ${claim.id} ${result.value.id}`);
    else say(`REFUSED ${claim.id} ${result.error.code}`);
  }

  await whenStatus(
    (s) => online(s) && s.queued === 0,
    plan.drainTimeoutMs,
    () => new DrainTimeout(),
  );
  // One more full round (push, then pull until the hub has nothing more) before leaving, as a
  // till left running would: it brings the hub's word on what was just pushed.
  const round = await call('sync.now');
  if (!round.ok) throw new Error(`sync.now failed: ${round.error.code}`);
  say('DRAINED');
  await core.close();
}

class DrainTimeout extends Error {
  constructor() {
    super('the outbox did not drain in time');
  }
}

const plan = JSON.parse(process.argv[2] ?? 'null') as WorkerPlan | null;
if (!plan) {
  say('ERROR no plan given');
  process.exit(2);
}
main(plan).then(
  () => process.exit(0),
  (err: unknown) => {
    say(`ERROR ${err instanceof Error ? err.message : String(err)}`);
    process.exit(err instanceof DrainTimeout ? 3 : 2);
  },
);
