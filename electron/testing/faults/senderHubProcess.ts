/**
 * A hub in its own process for the outbound crash test (bundled by processes.ts): createHub on
 * the given database (SQLite folder or PostgreSQL schema) and port, sending through the channel
 * emulator, SIGKILLing itself the `hit`-th time its sender reaches the fault point
 * (`outbound:before-send`: the attempt is committed, the platform not called;
 * `outbound:after-send`: the platform answered, nothing recorded — channels/outbound.ts).
 *
 * stdout: `LISTENING <port>` once serving; `KILLING <point> <hit>` just before the kill.
 * SIGTERM closes it cleanly.
 */
import { writeSync } from 'node:fs';
import { createHub } from '../../../backend-sync/hub/server';

export interface SenderHubPlan {
  dataDir: string;
  databaseUrl: string;
  searchPath?: string;
  port: number;
  emulatorUrl: string;
  whatsappStatusWaitMs: number;
  kill: { point: string; hit: number } | null;
}

const say = (line: string): void => {
  writeSync(1, line + '\n');
};

async function main(plan: SenderHubPlan): Promise<void> {
  let hits = 0;
  const hub = await createHub({
    port: plan.port,
    dataDir: plan.dataDir,
    databaseUrl: plan.databaseUrl,
    ...(plan.searchPath ? { searchPath: plan.searchPath } : {}),
    logLevel: process.env.FAULT_HUB_LOG_LEVEL ?? 'silent',
    adminToken: 'fault-admin-token',
    lineApiBaseUrl: plan.emulatorUrl,
    whatsappApiBaseUrl: plan.emulatorUrl,
    whatsappStatusWaitMs: plan.whatsappStatusWaitMs,
    outboundRetry: { baseDelayMs: 50, maxDelayMs: 500 },
    // One node: an attempt left 'sending' belongs to the process just killed, so it is settled at
    // once. The lease (60 s by default on PostgreSQL) waits out another node that may be alive.
    outboundLeaseMs: 0,
    faults: (point) => {
      if (!plan.kill || point !== plan.kill.point || ++hits !== plan.kill.hit) return;
      say(`KILLING ${point} ${hits}`);
      process.kill(process.pid, 'SIGKILL');
    },
  });
  process.on('SIGTERM', () => {
    void hub.close().then(() => process.exit(0));
  });
  say(`LISTENING ${hub.port}`);
}

main(JSON.parse(process.argv[2] ?? 'null') as SenderHubPlan).catch((err: unknown) => {
  say(`ERROR ${err instanceof Error ? err.message : String(err)}`);
  process.exit(2);
});
