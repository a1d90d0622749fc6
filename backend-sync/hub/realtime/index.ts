/**
 * The realtime half of the hub: socket.io on the hub's http server, device auth, sync:pull,
 * sync:push, sync:poke, device:status and the staff session (session.ts). Each socket sits in a room per scope
 * it reads; a poke goes only to the rooms a change touched, coalesced per brand (pokes.ts).
 */
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { Server, Socket } from 'socket.io';
import { SyncEvent, type AckError } from '../../protocol';
import type { Clock } from '../../domain/clock';
import { AppError, ErrorCode, isAppError } from '../../domain/errors';
import { readEpoch } from '../db/epoch';
import { deviceAuthMiddleware } from './auth';
import { deviceOf, type DeviceContext } from './device';
import { pingDevice } from './deviceClock';
import { createLastSeenWriter, type LastSeenWriter } from './lastSeen';
import { createPoker } from './pokes';
import { pullChanges, type RemainingMemo } from './pull';
import { pushMutations } from './push';
import { createPinGuard } from './pinGuard';
import { closeSession, openSession, sessionOf } from './session';
import { recordDeviceStatus } from './deviceStatus';

export interface RealtimeDeps {
  db: Knex;
  clock: Clock;
  logger: Logger;
  /** Fault-injection tests only (see push.ts); absent in production. */
  faults?: (point: string) => void;
  /** After a push committed (messages it queued, e.g. a broadcast, can be sent). */
  onPushCommitted?: () => void;
}

export interface Realtime {
  /**
   * After a commit: tell the connected devices and staff sessions that read the changed scopes
   * (when known; else found in the change log) that changes are waiting. Never throws.
   */
  notifyChanges(brandId: string, scopes?: Iterable<string>): void;
  /** Resolves when every poke started so far has been sent (so close() does not race them). */
  settle(): Promise<void>;
}

type Ack = (answer: unknown) => void;

export function attachRealtime(io: Server, deps: RealtimeDeps): Realtime {
  const pinGuard = createPinGuard();
  const poker = createPoker(io, deps);
  const notifyChanges = poker.notify;
  const lastSeen = createLastSeenWriter(deps);

  io.use(deviceAuthMiddleware({ ...deps, lastSeen }));

  io.on('connection', (socket: Socket) => {
    const device = deviceOf(socket);
    const log = deps.logger.child({ deviceId: device.id, branchId: device.branchId });
    log.info('device connected');
    socket.on('disconnect', (reason) => log.info({ reason }, 'device disconnected'));

    const remaining: RemainingMemo = new Map();
    socket.on(SyncEvent.pull, (request: unknown, ack: unknown) =>
      answer(ack, log, async () => {
        await ensureStillAllowed(deps, device, socket, lastSeen);
        const page = await pullChanges(deps.db, device, request, sessionOf(socket), remaining);
        return { ...page, hubTime: deps.clock.now().toISOString() };
      }),
    );

    socket.on(SyncEvent.ping, (request: unknown, ack: unknown) =>
      answer(ack, log, async () => {
        await ensureStillAllowed(deps, device, socket, lastSeen);
        return pingDevice(deps, device, request);
      }),
    );

    socket.on(SyncEvent.sessionOpen, (request: unknown, ack: unknown) =>
      answer(ack, log, async () => {
        await ensureStillAllowed(deps, device, socket, lastSeen);
        const opened = await openSession({ ...deps, pinGuard }, device, socket, request);
        return { ...opened, hubTime: deps.clock.now().toISOString() };
      }),
    );

    socket.on(SyncEvent.epoch, (_request: unknown, ack: unknown) =>
      answer(ack, log, async () => {
        await ensureStillAllowed(deps, device, socket, lastSeen);
        return readEpoch(deps.db);
      }),
    );

    socket.on(SyncEvent.sessionClose, (_request: unknown, ack: unknown) =>
      answer(ack, log, () => closeSession(deps, device, socket)),
    );

    socket.on(SyncEvent.deviceStatus, (request: unknown, ack: unknown) =>
      answer(ack, log, async () => {
        await ensureStillAllowed(deps, device, socket, lastSeen);
        return recordDeviceStatus(deps, device, request);
      }),
    );

    socket.on(SyncEvent.push, (request: unknown, ack: unknown) =>
      answer(ack, log, async () => {
        await ensureStillAllowed(deps, device, socket, lastSeen);
        const { response, changed, scopes } = await pushMutations(deps, device, request);
        if (changed) notifyChanges(device.brandId, scopes ?? undefined);
        deps.onPushCommitted?.();
        return response;
      }),
    );
  });

  return {
    notifyChanges,
    settle: poker.settle,
  };
}

/** Runs a handler and acknowledges with its value, or with `{ error: { code, message } }`. */
function answer(ack: unknown, log: Logger, handler: () => Promise<unknown>): void {
  const reply: Ack = typeof ack === 'function' ? (ack as Ack) : () => undefined;
  handler().then(reply, (err: unknown) => {
    if (isAppError(err) && err.code !== ErrorCode.INTERNAL) {
      reply({
        error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) },
      } satisfies AckError);
      return;
    }
    log.error({ err }, 'sync handler failed');
    reply({
      error: { code: ErrorCode.INTERNAL, message: 'The hub could not handle this request.' },
    } satisfies AckError);
  });
}

/** A device revoked while connected is cut off at its next request; last_seen_at moves along. */
async function ensureStillAllowed(
  deps: RealtimeDeps,
  device: DeviceContext,
  socket: Socket,
  lastSeen: LastSeenWriter,
): Promise<void> {
  const row = await deps.db('devices').where({ id: device.id }).first('revoked');
  if (!row || row.revoked === true || row.revoked === 1) {
    setImmediate(() => socket.disconnect(true));
    throw new AppError('DEVICE_REVOKED', 'This device has been revoked.');
  }
  await lastSeen(device.id);
}
