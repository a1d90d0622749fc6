/**
 * Three hub node processes on one PostgreSQL database and Redis, the channel emulator playing
 * LINE: a binding received by one node reaches a till on another; 2,000 webhook events, each
 * delivered twice to different nodes while one node is killed (SIGKILL) mid-batch, are each
 * processed once and answered once; the killed node's tills reconnect through the balancer.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import knex, { type Knex } from 'knex';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock, uuidV7 } from '../../domain/clock';
import { createEmulator, type Emulator } from '../../emulator/server';
import { startFakeHub, testChannels } from '../../emulator/testing';
import { PROTOCOL_VERSION, SyncEvent, type PushResponse } from '../../protocol';
import { BindingSettingsInput, saveBindingSettings } from '../binding/settings';
import { openHubDb } from '../db';
import { insertEmulatorChannels } from '../testing/emulatorHub';
import { giveDeviceToken, seedFixture, type Fixture } from '../testing/fixtures';
import { TEST_SETTINGS } from '../webhooks/testing';
import { startBalancer, type Balancer } from './balancer';
import { startHubNodeProcess, stopHubNodeProcess, type HubNodeProcess } from './nodes';

const EVENTS = 2_000;
const BIND_TEXT = '聯絡專員A101';
const lineUser = (i: number) => `U${i.toString(16).padStart(32, '0')}`;

describe.skipIf(!process.env.DATABASE_URL)('a hub of three nodes on PostgreSQL and Redis', () => {
  const databaseName = `cluster_${randomBytes(5).toString('hex')}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'omo-cluster-'));
  let admin: Knex;
  let db: Knex;
  let emulator: Emulator;
  let fixture: Fixture;
  let nodes: HubNodeProcess[] = [];
  const balancers: Balancer[] = [];
  const sockets: Socket[] = [];

  beforeAll(async () => {
    admin = knex({ client: 'pg', connection: process.env.DATABASE_URL, pool: { min: 0, max: 1 } });
    await admin.raw('CREATE DATABASE ??', [databaseName]);
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = `/${databaseName}`;
    db = await openHubDb({ databaseUrl: url.toString(), dataDir });
    fixture = await seedFixture(db, systemClock);
    const at = new Date().toISOString();
    await insertEmulatorChannels(db, fixture.brandId, at);
    await db.transaction((trx) =>
      saveBindingSettings(trx, fixture.brandId, BindingSettingsInput.parse(TEST_SETTINGS), at),
    );
    emulator = await createEmulator({
      channels: testChannels,
      clock: systemClock,
      enforceWhatsAppWindow: false,
    });
    const env = {
      DATABASE_URL: url.toString(),
      REDIS_URL: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
      HUB_SECRET_KEY: randomBytes(32).toString('base64url'),
      HUB_ADMIN_TOKEN: 'cluster-test-admin-token',
      LINE_API_BASE_URL: emulator.url,
      LINE_DATA_API_BASE_URL: emulator.url,
      WHATSAPP_API_BASE_URL: emulator.url,
      // A dead node's send attempts are settled by the others after this long.
      HUB_OUTBOUND_LEASE_MS: '3000',
      LOG_LEVEL: 'warn',
    };
    const args = (i: number) => ['--port', '0', '--data', path.join(dataDir, `node-${i}`)];
    nodes = [await startHubNodeProcess(args(0), env)];
    nodes.push(...(await Promise.all([1, 2].map((i) => startHubNodeProcess(args(i), env)))));
  }, 120_000);

  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await Promise.all(balancers.map((b) => b.close()));
    await Promise.all(nodes.map(stopHubNodeProcess));
    await emulator?.close();
    await db?.destroy();
    await admin?.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [databaseName]);
    await admin?.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  /** A fixture till connected to `url` (reconnecting, as a console does). */
  const till = async (url: string, deviceId: string): Promise<Socket> => {
    const token = await giveDeviceToken(db, deviceId);
    const socket = connect(url, {
      auth: { deviceId, deviceToken: token, protocolVersion: PROTOCOL_VERSION },
      transports: ['websocket'],
      reconnectionDelay: 50,
      reconnectionDelayMax: 200,
      forceNew: true,
    });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    return socket;
  };

  it('pokes the till on node C when node A receives the LINE binding', async () => {
    const onC = await till(nodes[2]!.url, fixture.devices.a1.id);
    const poked = new Promise<{ cursor: number }>((resolve) => onC.once(SyncEvent.poke, resolve));
    emulator.setHubUrl(nodes[0]!.url);
    const said = await emulator.say({ channel: 'line', user: lineUser(EVENTS + 1), text: BIND_TEXT });
    expect(said.hub.status).toBe(200);
    expect((await poked).cursor).toBeGreaterThan(0);
    const bound = await db('customers')
      .where({ channel_user_id: lineUser(EVENTS + 1) })
      .first();
    expect(bound).toMatchObject({ bound_staff_id: fixture.staff.associateA.id });
  }, 30_000);

  it('processes 2,000 events delivered twice across the nodes once each, replying once, while a node is killed', async () => {
    // The emulator's webhooks are caught, then delivered as a platform would: each twice, to two
    // different nodes, retried on another node when one does not answer.
    const catcher = await startFakeHub();
    emulator.setHubUrl(catcher.url);
    for (let i = 0; i < EVENTS; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, EVENTS - i) }, (_, k) =>
          emulator.say({ channel: 'line', user: lineUser(i + k), text: BIND_TEXT }),
        ),
      );
    }
    await catcher.close();
    expect(catcher.received).toHaveLength(EVENTS);

    // A till on the node about to die, through a balancer whose round robin begins there; it
    // pushes half of its queue before the kill and all of it after reconnecting elsewhere.
    const victim = nodes[1]!;
    const toVictim = await startBalancer({
      port: 0,
      host: '127.0.0.1',
      nodes: [victim.url, nodes[0]!.url, nodes[2]!.url],
      checkEveryMs: 200,
    });
    balancers.push(toVictim);
    const onB = await till(toVictim.url, fixture.devices.b1.id);
    const reconnected = new Promise<void>((resolve) => onB.io.once('reconnect', () => resolve()));
    const queue = Array.from({ length: 20 }, () => ({
      id: uuidV7(),
      kind: 'staff.signin',
      payload: { staffId: fixture.staff.associateB.id, signedInAt: new Date().toISOString() },
      deviceTime: new Date().toISOString(),
    }));
    const push = (mutations: unknown[]) =>
      onB.timeout(10_000).emitWithAck(SyncEvent.push, { mutations }) as Promise<PushResponse>;
    expect((await push(queue.slice(0, 10))).results.map((r) => r.status)).toEqual(Array(10).fill('applied'));

    const deliveries = catcher.received.flatMap((w, i) => [
      { w, first: i % 3 },
      { w, first: (i + 1) % 3 },
    ]);
    let done = 0;
    const deliver = async ({ w, first }: (typeof deliveries)[number]) => {
      for (let n = 0; ; n++) {
        const node = nodes[(first + n) % nodes.length]!;
        const ok = await fetch(`${node.url}/webhooks/line`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-line-signature': String(w.headers['x-line-signature']),
          },
          body: w.raw,
        }).then(
          (res) => res.status === 200,
          () => false,
        );
        if (ok) break;
      }
      if (++done === Math.floor(deliveries.length / 3)) victim.child.kill('SIGKILL');
    };
    let next = 0;
    await Promise.all(
      Array.from({ length: 24 }, async () => {
        while (next < deliveries.length) await deliver(deliveries[next++]!);
      }),
    );
    expect(await victim.exited).toBe(null); // killed, no exit code
    await reconnected;
    const answers = (await push(queue)).results.map((r) => r.status);
    expect(answers).toEqual([...Array(10).fill('duplicate'), ...Array(10).fill('applied')]);
    expect(
      await db('mutations')
        .whereIn(
          'id',
          queue.map((m) => m.id),
        )
        .count({ n: '*' }),
    ).toEqual([{ n: '20' }]);

    await waitUntil(async () => {
      const settled = (await db('outbound_messages')
        .whereIn('status', ['sent', 'delivered', 'read', 'unknown', 'failed'])
        .count({ n: '*' })) as { n: string }[];
      return Number(settled[0]?.n) >= EVENTS + 1;
    }, 420_000);

    const inbox = await db('webhook_inbox').select('processed_at', 'attempts');
    expect(inbox).toHaveLength(EVENTS + 1);
    expect(inbox.filter((r) => r.processed_at === null)).toEqual([]);
    const bound = await db('customers')
      .where({ bound_staff_id: fixture.staff.associateA.id })
      .count({ n: '*' });
    expect(Number(bound[0]!.n)).toBe(EVENTS + 1);

    const sentTo = new Map<string, number>();
    for (const s of emulator.state.sent({ channel: 'line' }))
      for (const to of s.to) sentTo.set(to, (sentTo.get(to) ?? 0) + 1);
    const doubled = [...sentTo.values()].filter((n) => n > 1).length;
    expect(doubled).toBe(0);
    expect(sentTo.size).toBe(EVENTS + 1);
    expect(await db('outbound_messages').whereIn('status', ['failed']).count({ n: '*' })).toEqual([
      { n: '0' },
    ]);
  }, 540_000);
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
