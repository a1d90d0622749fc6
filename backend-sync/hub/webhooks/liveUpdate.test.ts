/**
 * A binding made through a webhook reaches the affected lists at once: every device of the brand
 * gets a poke, and the pulls of the staff sessions whose lists changed show the customer (the new
 * associate's and team list) or a delete (the lists the customer left). One full console core
 * shows it in the signed-in associate's own list.
 */
import pino from 'pino';
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createConsoleCore, type ConsoleCore } from '../../../electron/core';
import { createKeyfileSecretStore } from '../../../electron/core/secrets/keyfile';
import { tempDir, waitFor } from '../../../electron/testing/temp';
import {
  PROTOCOL_VERSION,
  SyncEvent,
  type Change,
  type PullResponse,
  type SessionOpenResponse,
} from '../../protocol';
import { testDbKinds } from '../testing/databases';
import { giveDeviceToken } from '../testing/fixtures';
import { lineBody, lineTextEvent, postLine, startChannelHub, type ChannelHub } from './testing';

const USER = 'U7777777777777777777777777777aaaa';

describe.each(testDbKinds())('live binding updates on %s', (kind) => {
  let h: ChannelHub | undefined;
  const sockets: Socket[] = [];
  let core: ConsoleCore | undefined;
  const cleanups: (() => void)[] = [];
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.disconnect();
    await core?.close();
    core = undefined;
    await h?.close();
    h = undefined;
    for (const c of cleanups.splice(0)) c();
  });

  /** A device with a staff signed in that pulls its lists whenever poked, keeping every change. */
  async function device(deviceId: string, staff: { id: string; pin: string }) {
    const token = await giveDeviceToken(h!.t.db, deviceId);
    const socket = connect(h!.hub.url, {
      auth: { deviceId, deviceToken: token, protocolVersion: PROTOCOL_VERSION },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    const session = (await socket
      .timeout(5000)
      .emitWithAck(SyncEvent.sessionOpen, { staffId: staff.id, pin: staff.pin })) as SessionOpenResponse;
    const state = { cursors: new Map<string, number>(), changes: [] as Change[] };
    const pull = async () => {
      for (const stream of session.streams) {
        for (;;) {
          const page = (await socket
            .timeout(5000)
            .emitWithAck(SyncEvent.pull, { stream, cursor: state.cursors.get(stream) ?? 0 })) as PullResponse;
          state.changes.push(...page.changes);
          state.cursors.set(stream, page.cursor);
          if (!page.hasMore) break;
        }
      }
    };
    await pull();
    // A pull still in flight when afterEach disconnects is rejected by socket.io; only a failure
    // while connected is the test's business.
    socket.on(
      SyncEvent.poke,
      () =>
        void pull().catch((error: unknown) => {
          if (socket.connected) throw error;
        }),
    );
    const customerOps = () => state.changes.filter((c) => c.entity === 'customer').map((c) => `${c.op}`);
    return { state, customerOps };
  }

  it("reaches the new associate's and team's lists, and the ones left when the customer moves, within 1 s", async () => {
    h = await startChannelHub(kind);
    await h.setSettings({ mode: 'free' });
    const { associateA, managerA, associateB } = h.fixture.staff;
    const a1 = await device('device-a1', associateA);
    const a2 = await device('device-a2', managerA);
    const b1 = await device('device-b1', associateB);

    let sent = performance.now();
    await postLine(h.hub, lineBody([lineTextEvent({ userId: USER, text: '聯絡專員A101' })]));
    await waitFor(
      () => a1.customerOps().length === 1 && a2.customerOps().length === 1,
      'branch A devices',
      1000,
    );
    expect(performance.now() - sent).toBeLessThan(1000);
    expect(b1.customerOps()).toEqual([]); // another branch's customer never reaches b1

    sent = performance.now();
    await postLine(h.hub, lineBody([lineTextEvent({ userId: USER, text: '聯絡專員B201' })]));
    await waitFor(() => b1.customerOps().length === 1 && a1.customerOps().length === 2, 'the move', 1000);
    expect(performance.now() - sent).toBeLessThan(1000);
    expect(a1.customerOps()).toEqual(['upsert', 'delete']);
    expect(b1.customerOps()).toEqual(['upsert']);
  });

  it("shows the new customer in the associate's own list on a console", async () => {
    h = await startChannelHub(kind, { profiles: { [USER]: { displayName: '張小華' } } });
    const tmp = tempDir('omo-binding-console-');
    cleanups.push(tmp.remove);
    core = await createConsoleCore({
      dataDir: tmp.dir,
      secretStore: createKeyfileSecretStore(tmp.dir),
      host: 'web',
      appVersion: '0.0.0-test',
      logger: pino({ level: 'silent' }),
    });
    const call = async (method: string, input?: unknown) => {
      const result = await core!.dispatch(method as never, input as never);
      if (!result.ok) throw new Error(`${method}: ${result.error.code}`);
      return result.value as unknown;
    };
    await call('enrollment.enroll', {
      hubUrl: h.hub.url,
      pairingCode: h.fixture.devices.a1.pairingCode,
      deviceName: 'Till A1',
    });
    const { staffCode, pin } = h.fixture.staff.associateA;
    await waitFor(async () => {
      const status = (await call('sync.status')) as {
        connection: string;
        lastSyncAt: string | null;
        firstSync: unknown;
      };
      return status.connection === 'online' && status.lastSyncAt !== null && status.firstSync === null;
    }, 'the first sync');
    await call('session.signIn', { staffCode, pin });

    const sent = performance.now();
    await postLine(h.hub, lineBody([lineTextEvent({ userId: USER, text: '聯絡專員A101' })]));
    const mine = await waitFor(
      async () => {
        const page = (await call('customers.search', {})) as {
          items: { displayName: string; channel: string }[];
        };
        return page.items.length > 0 ? page.items : null;
      },
      "the associate's list",
      1000,
    );
    expect(performance.now() - sent).toBeLessThan(1000);
    expect(mine).toMatchObject([{ displayName: '張小華', channel: 'line' }]);
  });
});
