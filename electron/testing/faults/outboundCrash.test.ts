/**
 * The outbound sender killed with SIGKILL (a real child process, senderHubProcess.ts) at seeded
 * points on either side of the platform call — after the attempt was committed and before the
 * call, and after the platform answered and before anything was recorded — again and again,
 * restarted each time on the same database and port, then left to finish. The channel emulator
 * (in this process) counts what it received: every message must have reached it exactly once
 * (LINE pushes through X-Line-Retry-Key, LINE replies through their one-use token, WhatsApp
 * through the status webhooks that name our id), whatever the hub recorded.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../../../backend-sync/emulator/server';
import { testChannels } from '../../../backend-sync/emulator/testing';
import { queueOutbound } from '../../../backend-sync/hub/channels/outbound';
import { EMU_LINE, insertEmulatorChannels } from '../../../backend-sync/hub/testing/emulatorHub';
import { openTestDb, testDbKinds, type TestDb } from '../../../backend-sync/hub/testing/databases';
import { seedFixture } from '../../../backend-sync/hub/testing/fixtures';
import { manualClock, uuidV7 } from '../../../backend-sync/domain/clock';
import { bundleScripts, endOf, startScript, type Child } from './processes';
import { chooseSeed, mulberry32 } from './prng';
import type { SenderHubPlan } from './senderHubProcess';

const PER_CHANNEL = 30;
const KILLS = 10;
const POINTS = ['outbound:before-send', 'outbound:after-send'] as const;
/** Longer than the emulator's longest pause between retries of a status webhook (5 s). */
const STATUS_WAIT_MS = 7_000;
const SEED = chooseSeed(4_151);

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

/** The texts the emulator received, each with how many times. */
function receivedTexts(emulator: Emulator): Map<string, number> {
  const counts = new Map<string, number>();
  for (const record of emulator.state.sent()) {
    const texts =
      record.channel === 'line'
        ? (record.messages as { text?: string }[]).map((m) => m.text ?? '')
        : [(record.messages[0] as { text?: { body?: string } }).text?.body ?? ''];
    for (const text of texts) counts.set(text, (counts.get(text) ?? 0) + 1);
  }
  return counts;
}

describe.each(testDbKinds())('outbound sender killed -9 on %s', (kind) => {
  let script: string;
  let remove: () => void;
  beforeAll(async () => {
    const bundled = await bundleScripts({
      senderHub: new URL('./senderHubProcess.ts', import.meta.url).pathname,
    });
    script = bundled.paths.senderHub!;
    remove = bundled.remove;
  }, 60_000);
  afterAll(() => remove?.());

  it(`sends each of ${3 * PER_CHANNEL} messages exactly once across ${KILLS} kills`, async () => {
    const t: TestDb = await openTestDb(kind);
    const emulator = await createEmulator({
      channels: testChannels,
      statusDelayMs: 20,
      enforceWhatsAppWindow: false,
    });
    let child: Child | null = null;
    try {
      const now = new Date();
      const fixture = await seedFixture(t.db, manualClock(now));
      await insertEmulatorChannels(t.db, fixture.brandId, now.toISOString());
      const deps = { clock: { now: () => new Date() }, ids: uuidV7 };
      const texts: string[] = [];
      for (let i = 0; i < PER_CHANNEL; i++) {
        const user = `U${String(i).padStart(32, '0')}`;
        const token = `crash-token-${i}`;
        emulator.state.issueReplyToken(token, EMU_LINE.channelId, user);
        const reply = `reply ${i}`;
        const push = `push ${i}`;
        const wa = `whatsapp ${i}`;
        texts.push(reply, push, wa);
        const waId = `8529${String(i).padStart(7, '0')}`;
        await t.db('whatsapp_windows').insert({
          channel_id: 'channel-wa',
          wa_id: waId,
          customer_id: null,
          last_inbound_at: now.toISOString(),
        });
        const base = { brandId: fixture.brandId };
        await queueOutbound(t.db, deps, {
          ...base,
          channelId: 'channel-line',
          recipient: user,
          kind: 'reply',
          replyToken: token,
          replyBy: new Date(now.getTime() + 50_000).toISOString(),
          body: [{ type: 'text', text: reply }],
        });
        await queueOutbound(t.db, deps, {
          ...base,
          channelId: 'channel-line',
          recipient: user,
          kind: 'push',
          body: [{ type: 'text', text: push }],
        });
        await queueOutbound(t.db, deps, {
          ...base,
          channelId: 'channel-wa',
          recipient: waId,
          kind: 'text',
          body: { messaging_product: 'whatsapp', to: waId, type: 'text', text: { body: wa } },
        });
      }

      const port = await freePort();
      emulator.setHubUrl(`http://127.0.0.1:${port}`);
      const plan = (kill: SenderHubPlan['kill']): SenderHubPlan => ({
        dataDir: t.options.dataDir,
        databaseUrl: t.options.databaseUrl ?? '',
        ...(t.options.searchPath ? { searchPath: t.options.searchPath } : {}),
        port,
        emulatorUrl: emulator.url,
        whatsappStatusWaitMs: STATUS_WAIT_MS,
        kill,
      });
      /** Nothing left to send or to find out (a LINE reply may stay 'unknown': LINE cannot tell). */
      const settled = async (): Promise<boolean> => {
        const open = await t
          .db('outbound_messages')
          .whereIn('status', ['queued', 'sending'])
          .orWhere((q) => q.where({ status: 'unknown', channel_id: 'channel-wa' }))
          .count({ n: '*' })
          .first();
        return Number(open?.n) === 0;
      };
      const untilSettledOrExit = async (c: Child, timeoutMs: number): Promise<'settled' | 'exited'> => {
        let exited = false;
        void c.exited.then(() => (exited = true));
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          if (exited) return 'exited';
          if (await settled()) return 'settled';
          if (Date.now() > deadline) throw new Error(`not settled within ${timeoutMs} ms`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      };

      const prng = mulberry32(SEED);
      const kills = { 'outbound:before-send': 0, 'outbound:after-send': 0 };
      let lives = 0;
      while (kills['outbound:before-send'] + kills['outbound:after-send'] < KILLS) {
        const kill = { point: prng.pick(POINTS), hit: prng.int(1, 10) };
        child = startScript(script, plan(kill));
        lives++;
        await child.waitForLine((l) => l.startsWith('LISTENING'), 'the hub to listen', 30_000);
        const how = await untilSettledOrExit(child, 60_000);
        if (how === 'settled') break; // everything went out before the planned kill
        const exit = await endOf(child, 10_000);
        expect(exit.signal, exit.stderr).toBe('SIGKILL');
        kills[kill.point]++;
        child = null;
      }
      // The last life, undisturbed, finishes whatever is left.
      if (!(await settled())) {
        child = startScript(script, plan(null));
        lives++;
        await child.waitForLine((l) => l.startsWith('LISTENING'), 'the hub to listen', 30_000);
        expect(await untilSettledOrExit(child, 60_000)).toBe('settled');
      }

      const received = receivedTexts(emulator);
      const duplicates = texts.filter((text) => (received.get(text) ?? 0) > 1);
      const lost = texts.filter((text) => !received.has(text));
      const rows = (await t.db('outbound_messages').select('status', 'channel_id', 'error_code')) as {
        status: string;
        channel_id: string;
      }[];
      const byStatus = new Map<string, number>();
      for (const r of rows)
        byStatus.set(`${r.channel_id}:${r.status}`, (byStatus.get(`${r.channel_id}:${r.status}`) ?? 0) + 1);
      console.log(
        `[outbound crash ${kind}] seed ${SEED}, messages ${texts.length}, lives ${lives}, kills ${
          kills['outbound:before-send'] + kills['outbound:after-send']
        } (before-send ${kills['outbound:before-send']}, after-send ${kills['outbound:after-send']}), ` +
          `duplicates ${duplicates.length}, lost ${lost.length}, rows ${[...byStatus].map(([k, n]) => `${k}×${n}`).join(' ')}`,
      );
      expect(kills['outbound:before-send'] + kills['outbound:after-send']).toBe(KILLS);
      expect(duplicates).toEqual([]);
      expect(lost).toEqual([]);
      // What the hub recorded agrees: nothing it calls failed, WhatsApp all settled by the platform.
      expect(rows.filter((r) => r.status === 'failed')).toEqual([]);
      expect(
        rows.filter(
          (r) => r.channel_id === 'channel-wa' && !['sent', 'delivered', 'read'].includes(r.status),
        ),
      ).toEqual([]);
    } finally {
      if (child) {
        child.proc.kill('SIGTERM');
        await endOf(child, 10_000);
      }
      await emulator.close();
      await t.close();
    }
  }, 240_000);
});
