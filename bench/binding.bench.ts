/**
 * binding: OMO binding through channel webhooks, on SQLite.
 *
 * - binding.webhook_per_s: signed LINE binding messages (each from a new customer) processed end to
 *   end per second — signature verified over the raw body, event committed to the inbox, answered
 *   200, then profile fetched, customer created and bound, history and change log written, reply
 *   queued (and sent to a fake LINE API on loopback). Clients post with bounded concurrency; the
 *   clock stops when every event is processed. Baseline: a bare fastify route doing the same raw
 *   body + X-Line-Signature check and nothing else, same load. Target ratio ≥ 0.25.
 * - binding.to_console_p99_ms: webhook posted → the customer in the signed-in associate's list
 *   (`customers.search`, list 'mine') of a full console core (createConsoleCore, enrolled over HTTP), with 50
 *   consoles connected: that one core plus 49 lightweight socket.io clients that pull on every
 *   poke (as consoles do). p99 over sequential bindings. Baseline, same run: the p99 of the webhook's
 *   own answer (signature check + inbox commit), so the ratio shows what poke + pull + apply add.
 *   Target: p99 ≤ 300 ms (absolute).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import pino from 'pino';
import { io as connect, type Socket } from 'socket.io-client';
import { PROTOCOL_VERSION, SyncEvent, type PullResponse } from '../backend-sync/protocol';
import { createHub, type Hub } from '../backend-sync/hub/server';
import { openTestDb, type TestDb } from '../backend-sync/hub/testing/databases';
import {
  giveDeviceToken,
  insertDevice,
  seedFixture,
  type Fixture,
} from '../backend-sync/hub/testing/fixtures';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { lineSignature, verifyLineSignature } from '../backend-sync/hub/webhooks/signature';
import { lineBody, lineTextEvent, TEST_LINE } from '../backend-sync/hub/webhooks/testing';
import { systemClock } from '../backend-sync/domain/clock';
import { BindingSettingsInput, saveBindingSettings } from '../backend-sync/hub/binding/settings';
import { createConsoleCore } from '../electron/core/index';
import { createKeyfileSecretStore } from '../electron/core/secrets/keyfile';
import type { BenchGroup } from './types';

const WEBHOOKS = Number(process.env.BENCH_BINDING_WEBHOOKS ?? 500);
const ROUNDS = 5;
const CONCURRENCY = Number(process.env.BENCH_BINDING_CONCURRENCY ?? 32);
const CONSOLES = 50;
const LATENCY_SAMPLES = Number(process.env.BENCH_BINDING_SAMPLES ?? 100);

function p99(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)]!;
}

/** Posts every body with at most `concurrency` in flight; throws on any non-200. */
async function postAll(url: string, bodies: string[], concurrency: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const body = bodies[next++]!;
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'x-line-signature': lineSignature(body, TEST_LINE.channelSecret),
        },
        body,
      });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

const bindingBodies = (n: number, tag: string): string[] =>
  Array.from({ length: n }, (_, i) =>
    lineBody([
      lineTextEvent({ userId: `U${tag}${String(i).padStart(31 - tag.length, '0')}`, text: '聯絡專員 A101' }),
    ]),
  );

/** A bare fastify route: raw body + X-Line-Signature check, nothing else. */
async function startBareRoute(): Promise<{ url: string; close(): Promise<void> }> {
  const app = Fastify({ logger: false });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.post('/webhooks/line', async (request, reply) => {
    const signature = request.headers['x-line-signature'];
    const ok =
      typeof signature === 'string' &&
      verifyLineSignature(request.body as Buffer, signature, TEST_LINE.channelSecret);
    return reply.status(ok ? 200 : 401).send({});
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/webhooks/line`, close: () => app.close() };
}

interface BenchHub {
  t: TestDb;
  hub: Hub;
  fixture: Fixture;
  close(): Promise<void>;
}

/** The fake LINE API in a child process (a remote service: not billed to the hub's event loop). */
async function startPlatformProcess(): Promise<{ url: string; child: ChildProcess }> {
  const script = fileURLToPath(new URL('./fakePlatformProcess.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`fake platform exited (${code})`)));
  });
  return { url: (JSON.parse(first) as { url: string }).url, child };
}

async function startBenchHub(): Promise<BenchHub> {
  const t = await openTestDb('sqlite');
  const fixture = await seedFixture(t.db, systemClock, { claimsPerCoupon: 1 });
  const at = new Date().toISOString();
  await t.db('channels').insert({
    id: TEST_LINE.id,
    brand_id: fixture.brandId,
    kind: 'line',
    name: 'Bench LINE',
    line_destination: TEST_LINE.destination,
    line_channel_secret: TEST_LINE.channelSecret,
    line_access_token: TEST_LINE.accessToken,
    line_basic_id: TEST_LINE.basicId,
    created_at: at,
    updated_at: at,
  });
  const settings = BindingSettingsInput.parse({
    mode: 'free',
    successMessage: { kind: 'text', text: '我是{分店名稱}的{店員姓名}' },
    repeatMessage: { kind: 'text', text: '您已綁定{店員姓名}' },
    defaultReply: null,
  });
  await t.db.transaction((trx) => saveBindingSettings(trx, fixture.brandId, settings, at));
  const platform = await startPlatformProcess();
  const hub = await createHub({
    port: 0,
    dataDir: t.options.dataDir,
    databaseUrl: null,
    logLevel: 'silent',
    adminToken: 'bench-admin-token',
    lineApiBaseUrl: platform.url,
  });
  return {
    t,
    hub,
    fixture,
    close: async () => {
      await hub.close();
      platform.child.kill();
      await t.close();
    },
  };
}

/**
 * Throughput, as rounds that alternate the bare route and the hub (each round with new customers),
 * so both see the same load from whatever else runs on the machine; medians of the rounds.
 */
async function throughput(): Promise<{ hub: number; bare: number }> {
  const bare = await startBareRoute();
  const b = await startBenchHub();
  const hubUrl = `${b.hub.url}/webhooks/line`;
  const stats = sqlStats(b.hub);
  try {
    await postAll(bare.url, bindingBodies(200, 'x'), CONCURRENCY); // warm-up
    await postAll(hubUrl, bindingBodies(200, 'w'), CONCURRENCY);
    await b.hub.channels.inbox.idle();
    const bareRates: number[] = [];
    const hubRates: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const bodies = bindingBodies(WEBHOOKS, `r${round}`);
      let started = performance.now();
      await postAll(bare.url, bodies, CONCURRENCY);
      bareRates.push(bodies.length / ((performance.now() - started) / 1000));
      started = performance.now();
      await postAll(hubUrl, bodies, CONCURRENCY);
      await b.hub.channels.inbox.idle(); // every event verified, recorded, bound, reply queued
      hubRates.push(bodies.length / ((performance.now() - started) / 1000));
      await b.hub.channels.idle(); // replies sent before the next round
    }
    const expected = 200 + ROUNDS * WEBHOOKS;
    const bound = await b.t.db('customers').whereNotNull('bound_staff_id').count({ n: '*' }).first();
    const replies = await b.t.db('outbound_messages').where({ status: 'sent' }).count({ n: '*' }).first();
    if (Number(bound?.n) !== expected || Number(replies?.n) !== expected) {
      throw new Error(`expected ${expected} bindings and replies, got ${bound?.n} / ${replies?.n}`);
    }
    stats.print();
    console.log(
      `rounds: bare ${bareRates.map((r) => r.toFixed(0)).join(', ')} req/s; hub ${hubRates.map((r) => r.toFixed(0)).join(', ')} events/s`,
    );
    return { hub: median(hubRates), bare: median(bareRates) };
  } finally {
    await bare.close();
    await b.close();
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** BENCH_SQL_STATS=1: time per SQL statement, to see where a slow run went. */
function sqlStats(hub: Hub): { print(): void } {
  const stats = new Map<string, { n: number; ms: number }>();
  if (!process.env.BENCH_SQL_STATS) return { print: () => undefined };
  const started = new Map<string, number>();
  hub.db.on('query', (q: { __knexQueryUid: string }) => started.set(q.__knexQueryUid, performance.now()));
  hub.db.on('query-response', (_r: unknown, q: { __knexQueryUid: string; sql: string }) => {
    const key = q.sql.replace(/\(\?(, \?)*\)/g, '(…)').slice(0, 120);
    const e = stats.get(key) ?? { n: 0, ms: 0 };
    e.n++;
    e.ms += performance.now() - (started.get(q.__knexQueryUid) ?? performance.now());
    stats.set(key, e);
  });
  return {
    print: () => {
      for (const [sql, e] of [...stats].sort((x, y) => y[1].ms - x[1].ms).slice(0, 20)) {
        console.log(`${e.ms.toFixed(0).padStart(6)} ms ${String(e.n).padStart(6)}× ${sql}`);
      }
    },
  };
}

/** A lightweight console: connected, pulling on every poke (not storing anything). */
async function pullingClient(hub: Hub, deviceId: string, token: string): Promise<Socket> {
  const socket = connect(hub.url, {
    auth: { deviceId, deviceToken: token, protocolVersion: PROTOCOL_VERSION },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  let cursor = 0;
  let pulling = false;
  let again = false;
  const pull = async () => {
    if (pulling) {
      again = true;
      return;
    }
    pulling = true;
    do {
      again = false;
      for (;;) {
        const page = (await socket.timeout(10_000).emitWithAck(SyncEvent.pull, { cursor })) as PullResponse;
        cursor = page.cursor;
        if (!page.hasMore) break;
      }
    } while (again);
    pulling = false;
  };
  await pull();
  socket.on(SyncEvent.poke, () => void pull().catch(() => undefined));
  return socket;
}

async function toConsoleP99(): Promise<{ value: number; baseline: number }> {
  const b = await startBenchHub();
  const dir = mkdtempSync(path.join(tmpdir(), 'omo-bench-binding-'));
  const sockets: Socket[] = [];
  const core = await createConsoleCore({
    dataDir: dir,
    secretStore: createKeyfileSecretStore(dir),
    host: 'web',
    appVersion: 'bench',
    logger: pino({ level: 'silent' }),
  });
  const call = async (method: string, input?: unknown): Promise<unknown> => {
    const r = await core.dispatch(method as never, input as never);
    if (!r.ok) throw new Error(`${method}: ${r.error.code}`);
    return r.value;
  };
  try {
    await call('enrollment.enroll', {
      hubUrl: b.hub.url,
      pairingCode: b.fixture.devices.a1.pairingCode,
      deviceName: 'Bench till',
    });
    const { staffCode, pin } = b.fixture.staff.associateA;
    await waitUntil(async () => {
      const status = (await call('sync.status')) as {
        connection: string;
        lastSyncAt: string | null;
        firstSync: unknown;
      };
      return status.connection === 'online' && status.lastSyncAt !== null && status.firstSync === null;
    });
    await call('session.signIn', { staffCode, pin });

    for (let i = 0; i < CONSOLES - 1; i++) {
      const branchId = i % 2 === 0 ? b.fixture.branchA : b.fixture.branchB;
      const id = `bench-device-${i}`;
      await insertDevice(b.t.db, systemClock, {
        id,
        brandId: b.fixture.brandId,
        branchId,
        pairingCode: `BENCH-${i}`,
      });
      sockets.push(await pullingClient(b.hub, id, await giveDeviceToken(b.t.db, id)));
    }

    const samples: number[] = [];
    const answered: number[] = [];
    const poked: number[] = [];
    let lastPoke = 0;
    sockets[0]!.on(SyncEvent.poke, () => (lastPoke = performance.now()));
    const mine = async () =>
      ((await call('customers.search', { list: 'mine', limit: 1 })) as { total: number }).total;
    for (let i = 0; i < LATENCY_SAMPLES + 10; i++) {
      const before = await mine();
      const body = lineBody([
        lineTextEvent({ userId: `Ulat${String(i).padStart(28, '0')}`, text: '聯絡專員A101' }),
      ]);
      const started = performance.now();
      const res = await fetch(`${b.hub.url}/webhooks/line`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-line-signature': lineSignature(body, TEST_LINE.channelSecret),
        },
        body,
      });
      if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
      const answeredAt = performance.now();
      const deadline = started + 5000;
      while ((await mine()) <= before) {
        if (performance.now() > deadline) throw new Error('the binding never reached the console');
        await nextCoreEvent(core, 25);
      }
      if (i >= 10) {
        samples.push(performance.now() - started);
        answered.push(answeredAt - started);
        poked.push(lastPoke - started);
      }
    }
    const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!.toFixed(1);
    console.log(`to console, p50 of: 200 answered ${mid(answered)} ms, poke at a device ${mid(poked)} ms`);
    const sorted = [...samples].sort((a, b) => a - b);
    console.log(
      `to console: p50 ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} ms, p99 ${p99(samples).toFixed(1)} ms`,
    );
    return { value: p99(samples), baseline: p99(answered) };
  } finally {
    for (const s of sockets) s.disconnect();
    await core.close();
    await b.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The core's next event (a sync round ends with sync.status), or `timeoutMs`. */
function nextCoreEvent(core: { onEvent(l: () => void): () => void }, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      off();
      clearTimeout(timer);
      resolve();
    };
    const off = core.onEvent(done);
    const timer = setTimeout(done, timeoutMs);
  });
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 10_000, everyMs = 20): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

const binding: BenchGroup = {
  name: 'binding',
  async run() {
    if (process.env.BENCH_BINDING_ONLY === 'console') {
      return [{ name: 'binding.to_console_p99_ms', unit: 'ms', ...(await toConsoleP99()) }];
    }
    const rates = await throughput();
    if (process.env.BENCH_BINDING_ONLY === 'hub') {
      return [{ name: 'binding.webhook_per_s', value: rates.hub, unit: 'events/s', baseline: rates.bare }];
    }
    const latency = await toConsoleP99();
    return [
      { name: 'binding.webhook_per_s', value: rates.hub, unit: 'events/s', baseline: rates.bare },
      { name: 'binding.to_console_p99_ms', unit: 'ms', ...latency },
    ];
  },
};

export default binding;
