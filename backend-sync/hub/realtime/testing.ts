/**
 * Test harness for the hub: a real hub on a loopback port over a private test database, and
 * real socket.io clients. Used by the hub's own tests; console-core's integration tests may use
 * it too.
 */
import type { Knex } from 'knex';
import { io as connect, type Socket } from 'socket.io-client';
import { manualClock } from '../../domain/clock';
import { PROTOCOL_VERSION, type ConnectRefusal } from '../../protocol';
import type { Hub } from '../server';
import { openTestDb, type TestDb } from '../testing/databases';
import { FIXTURE_TIME, giveDeviceToken, seedFixture, type Fixture } from '../testing/fixtures';
import { startHubOn } from '../testing/hubOn';

export interface TestHub {
  t: TestDb;
  hub: Hub;
  fixture: Fixture;
  clock: ReturnType<typeof manualClock>;
  /** Stops the hub and starts a new one on the same database (a hub restart). */
  restart(): Promise<Hub>;
  close(): Promise<void>;
}

export async function startTestHub(
  kind: TestDb['kind'],
  options: { claimsPerCoupon?: number } = {},
): Promise<TestHub> {
  const t = await openTestDb(kind);
  const clock = manualClock(FIXTURE_TIME);
  const fixture = await seedFixture(t.db, clock, options);
  const start = () => startHubOn(t, { clock });
  const sockets: Socket[] = [];
  const harness: TestHub = {
    t,
    hub: await start(),
    fixture,
    clock,
    restart: async () => {
      await harness.hub.close();
      harness.hub = await start();
      return harness.hub;
    },
    close: async () => {
      for (const s of sockets) s.disconnect();
      await harness.hub.close();
      await t.close();
    },
  };
  openSockets.set(harness, sockets);
  return harness;
}

const openSockets = new WeakMap<object, Socket[]>();

export interface DeviceClient {
  socket: Socket;
  deviceId: string;
  token: string;
}

/** The sign-in a test mutation of `staffId` names on a fixture device (see connectFixtureDevice). */
export const testSignInId = (deviceId: string, staffId: string): string => `test:${deviceId}:${staffId}`;

/**
 * Gives the fixture device a token (no HTTP) and connects it. Every staff member of the brand is
 * recorded as signed in on it (testSignInId), as a session:open with their PIN would, so tests
 * push mutations under a sign-in the hub knows.
 */
export async function connectFixtureDevice(
  h: Pick<TestHub, 't' | 'hub'>,
  deviceId: string,
): Promise<DeviceClient> {
  const token = await giveDeviceToken(h.t.db, deviceId);
  await recordTestSignIns(h.t.db, deviceId);
  const socket = await connectDevice(h, { deviceId, deviceToken: token, protocolVersion: PROTOCOL_VERSION });
  return { socket, deviceId, token };
}

/** Records every staff member of the device's brand as signed in on it (again after adding staff). */
export async function recordTestSignIns(db: Knex, deviceId: string): Promise<void> {
  const device = (await db('devices').where({ id: deviceId }).first('brand_id')) as { brand_id: string };
  const staff = (await db('staff').where({ brand_id: device.brand_id }).select('id')) as { id: string }[];
  await db('sign_ins')
    .insert(
      staff.map((s) => ({
        id: testSignInId(deviceId, s.id),
        device_id: deviceId,
        staff_id: s.id,
        proof: 'hub_pin',
        signed_in_at: FIXTURE_TIME,
        recorded_at: FIXTURE_TIME,
      })),
    )
    .onConflict('id')
    .ignore();
}

/**
 * Connects with the given auth; resolves once connected, rejects with the hub's ConnectRefusal
 * (as `refusal`) when refused. No reconnection, so a refused test fails fast.
 */
export function connectDevice(h: Pick<TestHub, 'hub'>, auth: Record<string, unknown>): Promise<Socket> {
  const socket = connect(h.hub.url, { auth, reconnection: false, transports: ['websocket'], forceNew: true });
  openSockets.get(h)?.push(socket);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err: Error & { data?: ConnectRefusal }) => {
      socket.disconnect();
      reject(Object.assign(err, { refusal: err.data }));
    });
  });
}

/** Emits with an acknowledgement and a timeout (no test ever waits forever). */
export async function request<T = unknown>(socket: Socket, event: string, payload: unknown): Promise<T> {
  return (await socket.timeout(5000).emitWithAck(event, payload)) as T;
}

/** Resolves with the first `event` payload matching `accept`, or rejects after `timeoutMs`. */
export function nextEvent<T = unknown>(
  socket: Socket,
  event: string,
  accept: (payload: T) => boolean = () => true,
  timeoutMs = 5000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (payload: T) => {
      if (!accept(payload)) return;
      clearTimeout(timer);
      socket.off(event, listener);
      resolve(payload);
    };
    socket.on(event, listener);
  });
}
