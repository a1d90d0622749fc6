/**
 * A hub in its own process for the hub-crash test (bundled by processes.ts): createHub on SQLite
 * in the given folder, on the given port (0 = free), optionally SIGKILLing itself the `hit`-th
 * time it reaches a hub fault point (`push:after-commit-before-ack`, realtime/push.ts).
 *
 * stdout: `LISTENING <port>` once serving; `KILLING <point> <hit>` just before the kill.
 * SIGTERM closes it cleanly.
 */
import { writeSync } from 'node:fs';
import { createHub } from '../../../backend-sync/hub/server';

export interface HubPlan {
  dataDir: string;
  port: number;
  kill: { point: string; hit: number } | null;
}

const say = (line: string): void => {
  writeSync(1, line + '\n');
};

async function main(plan: HubPlan): Promise<void> {
  let hits = 0;
  const hub = await createHub({
    port: plan.port,
    dataDir: plan.dataDir,
    databaseUrl: '', // always SQLite, whatever DATABASE_URL says
    logLevel: process.env.FAULT_HUB_LOG_LEVEL ?? 'silent',
    adminToken: 'fault-admin-token',
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

main(JSON.parse(process.argv[2] ?? 'null') as HubPlan).catch((err: unknown) => {
  say(`ERROR ${err instanceof Error ? err.message : String(err)}`);
  process.exit(2);
});
