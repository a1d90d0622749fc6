import { it } from 'vitest';
import { createHub } from '../../../backend-sync/hub/server';
import { bundleFaultScripts, endOf, startScript } from './processes';
import { enrolledConsole, seedFaultHubDb } from './setup';
it('times', async () => {
  const b = await bundleFaultScripts();
  const h = await seedFaultHubDb(30);
  const hub = await createHub({ port: 0, dataDir: h.t.options.dataDir, databaseUrl: '', logLevel: 'silent', adminToken: 'x' });
  const c = await enrolledConsole(hub.url, h.fixture.devices.a1.pairingCode, 'T');
  await c.close();
  const staff = { staffCode: h.fixture.staff.associateA.staffCode, pin: h.fixture.staff.associateA.pin };
  for (let i = 0; i < 4; i++) {
    const t0 = performance.now();
    const child = startScript(b.worker, { dataDir: c.dataDir, staff: i % 2 ? null : staff, claims: i % 2 ? [] : h.claims.slice(i * 3, i * 3 + 3).map((x) => ({ id: x.id, code: x.code })), kill: null, drainTimeoutMs: 15000 }, { FAULT_WORKER_LOG_LEVEL: 'debug' });
    child.proc.stdout!.on('data', (d) => console.log((performance.now() - t0).toFixed(0), String(d).trim()));
    const e = await endOf(child, 30000);
    const ls = e.stderr.split('\n').filter(Boolean).map((l) => JSON.parse(l)); console.log('life', i, (performance.now() - t0).toFixed(0), e.code, ls.map((j) => `${j.time - ls[0].time} ${j.module ?? ''} ${j.msg}`).join('\n'));
  }
  await hub.close();
}, 120000);
