import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createConsoleCore } from '../electron/core/index';
import { createKeyfileSecretStore } from '../electron/core/secrets/keyfile';
import { BENCH_STAFF, claimCode, isRedeemed, seedConsoleStore } from './tillStore';
const dir = mkdtempSync(path.join(tmpdir(), 'omo-prof-'));
await seedConsoleStore(dir, 100000, new Date());
const core = await createConsoleCore({ dataDir: dir, secretStore: createKeyfileSecretStore(dir), host: 'web', appVersion: 'x', logger: pino({ level: 'silent' }) });
await core.dispatch('session.signIn', BENCH_STAFF);
if (process.env.NOSCAN) { kindsSkip(); }
function kindsSkip() {}
const kinds: Record<string, number[]> = { valid: [], unknown: [], redeemed: [] };
for (let n = 0; n < (process.env.NOSCAN ? 3 : 3000); n++) {
  const i = 1 + ((n * 7919) % 99999);
  const k = n % 3 === 0 ? 'valid' : n % 3 === 1 ? 'unknown' : 'redeemed';
  const code = k === 'unknown' ? `X${i}` : claimCode(k === 'redeemed' ? Math.max(20, i - (i % 20)) : isRedeemed(i) ? i + 1 : i);
  const t = performance.now();
  const r = await core.dispatch('till.scan', { input: code, origin: 'wedge' });
  if (!r.ok) throw new Error(r.error.code);
  kinds[k]!.push(performance.now() - t);
}
const pct = (a: number[], p: number) => { const s = [...a].sort((x, y) => x - y); return s[Math.ceil(s.length * p) - 1]!.toFixed(2); };
for (const [k, a] of Object.entries(kinds)) console.log(k, 'p50', pct(a, 0.5), 'p90', pct(a, 0.9), 'p99', pct(a, 0.99), 'max', pct(a, 1));
const rs: number[] = []; if (process.env.NOREDEEM) { await core.close(); process.exit(0); }
for (let i = 1, n = 0; n < 1000; i++) { if (isRedeemed(i)) continue; n++; const t = performance.now(); const r = await core.dispatch('till.redeem', { claimId: `claim-${i}`, scannedCode: claimCode(i) }); if (!r.ok) throw new Error(r.error.code); rs.push(performance.now() - t); }
console.log('redeem p50', pct(rs, 0.5), 'p90', pct(rs, 0.9));
await core.close();
rmSync(dir, { recursive: true, force: true });
