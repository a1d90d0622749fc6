/**
 * The sync client: one socket.io connection to the hub per enrolled device, and the loop that
 * keeps local data and the outbox in step with it.
 *
 * - Reconnects with exponential back-off and jitter (socket.io-client's manager, configured on
 *   purpose below). A refusal by the hub (AUTH_INVALID, DEVICE_REVOKED, PROTOCOL_UNSUPPORTED) is
 *   not retried by socket.io; we show its code and try again only slowly.
 * - "offline" is reported the moment the transport closes (a stopped hub closes its TCP
 *   connections, which the client sees at once); ping timeouts only cover silent network loss.
 * - On connect and after every enqueue: push the queued outbox. On connect and on `sync:poke`:
 *   pull until the hub has no more. One round runs at a time; requests made meanwhile are merged
 *   into the next round, so nothing is lost and nothing runs twice in parallel.
 * - Time: every ack that carries the hub's time is a round-trip sample for the console's clock
 *   (time/hubClock.ts), and each push round starts with a `sync:ping`, so the hub knows this
 *   device's clock offset before it bounds the pushed mutations' times (docs/protocol.md, "Time").
 * - On connect, first of all: the hub's epoch (sync/epoch.ts), so a restored hub is noticed before
 *   anything is pushed or pulled against it.
 * - Staff session: on connect and whenever the signed-in staff changes, the engine opens the
 *   session at the hub (`session:open` with the sign-in's proof, see session/hubProof.ts) and then
 *   also pulls the lists that session may read (its streams); on sign-out it closes it.
 */
import { io, type Socket } from 'socket.io-client';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { Clock } from '../../../backend-sync/domain/clock';
import { AppError, isAppError } from '../../../backend-sync/domain/errors';
import {
  AckError,
  ConnectRefusal,
  PingResponse,
  PROTOCOL_VERSION,
  SessionOpenResponse,
  SyncEvent,
  type DeviceAuth,
  type DeviceStatusReport,
  type PullStream,
  type SessionOpenRequest,
} from '../../../backend-sync/protocol';
import type { SyncStatus } from '../consoleApi/contract';
import type { DeviceCredentials } from '../enrollment/enrollment';
import { countByStatus } from '../outbox/outbox';
import { getMeta } from '../store/meta';
import type { HubClock } from '../time/hubClock';
import { checkHubEpoch } from './epoch';
import { PULL_PAGE_SIZE, PULL_TRANSACTION_MS, pullAll, pushAll } from './exchange';
import type { Faults } from './faults';
import type { SyncHooks } from './hooks';
import { createStatusTracker } from './status';

export interface SyncTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface SyncTuning {
  /** socket.io reconnection: first delay, cap, and ± jitter factor. */
  reconnectDelayMs: number;
  reconnectDelayMaxMs: number;
  randomizationFactor: number;
  /** How long one pull page / push batch may take before the round is abandoned. */
  requestTimeoutMs: number;
  /** Connect handshake timeout. */
  connectTimeoutMs: number;
  /** After the hub refused the device (revoked, bad token, old protocol): wait this long. */
  refusalRetryMs: number;
  /** After a failed round while still connected (timeout, hub error): try again after this. */
  roundRetryMs: number;
  pullPageSize: number;
  /** How long a pull keeps adding arriving pages to one transaction (exchange.ts). */
  pullTransactionMs: number;
  pushBatchSize: number;
}

export const defaultSyncTuning: SyncTuning = {
  reconnectDelayMs: 500,
  reconnectDelayMaxMs: 10_000,
  randomizationFactor: 0.5,
  requestTimeoutMs: 20_000,
  connectTimeoutMs: 5_000,
  refusalRetryMs: 60_000,
  roundRetryMs: 5_000,
  pullPageSize: PULL_PAGE_SIZE,
  pullTransactionMs: PULL_TRANSACTION_MS,
  pushBatchSize: 200,
};

export interface SyncEngineDeps {
  db: Knex;
  clock: Clock;
  logger: Logger;
  /** Reported to the hub after each push round (device:status), with the outbox size. */
  appVersion?: string;
  publish: (status: SyncStatus) => void;
  tuning?: Partial<SyncTuning>;
  timers?: SyncTimers;
  /** Filled by features after the engine exists (the till needs the engine to nudge it). */
  hooks?: SyncHooks;
  faults?: Faults;
  /** The signed-in staff's proof for the hub, and what the hub answered (session/hubProof.ts). */
  staffSession?: StaffSessionLink;
  /** A stream's pull brought changes (features refresh what they show). */
  onStreamPulled?: (stream: PullStream, received: number) => void;
  /** The console's clock: fed with each ack's hub time, read for the ping and the status. */
  time?: Pick<HubClock, 'now' | 'stamp' | 'roundTrip' | 'warning'>;
}

export interface StaffSessionLink {
  /** null: nobody signed in (close any open session). */
  proof(): SessionOpenRequest | null;
  accepted(answer: SessionOpenResponse): void;
  refused(code: string): void;
}

const realTimers: SyncTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export function createSyncEngine(deps: SyncEngineDeps) {
  const tuning = { ...defaultSyncTuning, ...deps.tuning };
  const timers = deps.timers ?? realTimers;
  const log = deps.logger.child({ module: 'sync' });
  const status = createStatusTracker({
    db: deps.db,
    clock: deps.clock,
    publish: deps.publish,
    countConflicts: (db) => deps.hooks?.countConflicts?.(db),
    offlineRedeemUntil: (db, since) => deps.hooks?.offlineRedeemUntil?.(db, since),
    clockWarning: () => deps.time?.warning() ?? null,
    onError: (err) => log.error({ err }, 'sync status update failed'),
  });

  let socket: Socket | null = null;
  let retryTimer: unknown = null;
  let wantPull = false;
  let wantPush = false;
  let wantSession = false;
  /** Asked on every connect, before anything else: has the hub been restored or replaced? */
  let wantEpoch = false;
  let epochChecked = false;
  /** The list streams the hub opened for the signed-in staff on this connection. */
  let sessionStreams: PullStream[] = [];
  let sessionOpen = false;
  let round: Promise<void> | null = null;
  let firstSyncReceived = 0;
  let firstSyncPages = 0;
  let firstSyncStartedAt: string | null = null;
  let stopped = false;
  let hadError = false;
  /** False once this connection's hub left a ping unanswered (a hub older than the ping). */
  let pingAnswered = true;

  function request(event: string, payload: unknown, timeoutMs = tuning.requestTimeoutMs): Promise<unknown> {
    const s = socket;
    if (!s?.connected) return Promise.reject(new AppError('SYNC_DISCONNECTED', 'Not connected to the hub.'));
    const sent = deps.time?.stamp();
    return s
      .timeout(timeoutMs)
      .emitWithAck(event, payload)
      .then((answer: unknown) => {
        const error = AckError.safeParse(answer);
        if (error.success)
          throw new AppError(error.data.error.code, error.data.error.message, error.data.error.details);
        const hubTime = (answer as { hubTime?: unknown } | null)?.hubTime;
        if (sent && typeof hubTime === 'string' && !Number.isNaN(Date.parse(hubTime))) {
          deps.time!.roundTrip(sent, hubTime);
        }
        return answer;
      });
  }

  /** Tells the hub this device's clock (and learns the hub's); never fails the round. */
  async function ping(): Promise<void> {
    if (!deps.time || !pingAnswered) return;
    try {
      PingResponse.parse(
        await request(SyncEvent.ping, { deviceTime: deps.time.now().toISOString() }, tuning.connectTimeoutMs),
      );
    } catch (err) {
      if (isAppError(err) && err.code === 'SYNC_DISCONNECTED') throw err;
      log.warn({ err }, 'the hub did not answer a ping; pushing without it on this connection');
      pingAnswered = false;
    }
  }

  /**
   * The hub's epoch (sync/epoch.ts). A hub older than the event never answers it: like the ping,
   * the check is skipped on this connection rather than stopping every push and pull.
   */
  async function checkEpoch(): Promise<void> {
    try {
      const met = await checkHubEpoch({
        ...exchangeDeps(),
        request: (event, payload) => request(event, payload, tuning.connectTimeoutMs),
      });
      if (met.resynced) log.warn(met, 'the hub was restored or replaced: pulling again, pushing again');
    } catch (err) {
      if (isAppError(err)) throw err;
      log.warn({ err }, 'the hub did not answer sync:epoch; syncing without the check on this connection');
    }
  }

  const exchangeDeps = () => ({
    db: deps.db,
    clock: deps.clock,
    request,
    ...(deps.hooks ? { hooks: deps.hooks } : {}),
    ...(deps.faults ? { faults: deps.faults } : {}),
  });

  function schedule(fn: () => void, ms: number): void {
    if (retryTimer !== null) timers.clearTimeout(retryTimer);
    retryTimer = timers.setTimeout(() => {
      retryTimer = null;
      if (!stopped) fn();
    }, ms);
  }

  /** Ask for a round; merges with one already running (it loops until no request is left). */
  function kick(pull: boolean, push: boolean): Promise<void> {
    wantPull ||= pull;
    wantPush ||= push;
    if (!round) {
      round = runRounds().finally(() => {
        round = null;
        // A request that arrived after the loop's last check starts a new loop.
        if ((wantEpoch || wantPull || wantPush || wantSession) && socket?.connected && !stopped)
          void kick(false, false);
      });
    }
    return round;
  }

  async function runRounds(): Promise<void> {
    while (socket?.connected && !stopped && (wantEpoch || wantPull || wantPush || wantSession)) {
      try {
        // Push before pull: the hub then answers our queued mutations before we take its view of
        // the rows they touch, which keeps the window for the outbox rule (store/mirrors.ts) short.
        if (wantEpoch) {
          wantEpoch = false;
          await checkEpoch();
          epochChecked = true;
        } else if (wantSession) {
          wantSession = false;
          await syncSession();
        } else if (wantPush) {
          wantPush = false;
          await ping();
          await pushAll(exchangeDeps(), {
            batchSize: tuning.pushBatchSize,
            onBatch: () => void status.refresh(),
          });
          await status.refresh();
          await reportStatus();
        } else {
          wantPull = false;
          await pullRound();
        }
        // A round went through: an earlier sync error no longer describes the situation.
        if (hadError) {
          hadError = false;
          await status.setLastError(null);
        }
      } catch (err) {
        log.warn({ code: isAppError(err) ? err.code : undefined, err }, 'sync round failed; will retry');
        if (isAppError(err) && err.code !== 'SYNC_DISCONNECTED') {
          hadError = true;
          await status.setLastError(err.code);
        }
        // Whatever failed is asked for again after a pause (or at the next connect).
        wantPull = true;
        wantPush = true;
        if (!epochChecked) wantEpoch = true;
        if (!sessionOpen && deps.staffSession?.proof()) wantSession = true;
        if (socket?.connected) schedule(() => void kick(true, true), tuning.roundRetryMs);
        return;
      }
    }
  }

  /**
   * Tells the hub our app version and what still waits in the outbox (the back office's device
   * list). A hub that does not answer it (older, or busy) costs nothing: sync goes on.
   */
  async function reportStatus(): Promise<void> {
    if (!deps.appVersion) return;
    try {
      const counts = await countByStatus(deps.db);
      await request(SyncEvent.deviceStatus, {
        appVersion: deps.appVersion,
        queuedMutations: counts.queued,
      } satisfies DeviceStatusReport);
    } catch (err) {
      log.debug({ err }, 'the hub did not take the device status');
    }
  }

  /** Opens (or closes) the staff session at the hub; a refusal leaves the lists closed. */
  async function syncSession(): Promise<void> {
    const link = deps.staffSession;
    const proof = link?.proof() ?? null;
    if (!link || !proof) {
      sessionStreams = [];
      if (sessionOpen) await request(SyncEvent.sessionClose, {});
      sessionOpen = false;
      return;
    }
    try {
      const answer = SessionOpenResponse.parse(await request(SyncEvent.sessionOpen, proof));
      sessionStreams = answer.streams;
      sessionOpen = true;
      link.accepted(answer);
      wantPull = true;
    } catch (err) {
      if (!isAppError(err) || err.code === 'SYNC_DISCONNECTED' || err.code === 'INTERNAL') throw err;
      // Refused (wrong PIN at the hub, staff moved or deactivated): the lists stay closed.
      log.warn({ code: err.code }, 'the hub refused the staff session');
      sessionStreams = [];
      sessionOpen = false;
      link.refused(err.code);
    }
  }

  async function pullRound(): Promise<void> {
    await pullStream('device');
    for (const stream of sessionStreams) await pullStream(stream);
    await status.refresh();
  }

  async function pullStream(stream: PullStream): Promise<void> {
    const isFirst =
      stream === 'device'
        ? (await getMeta(deps.db, 'firstSyncDone')) === null
        : !(await deps.db('stream_cursors').where({ stream }).first('stream'));
    firstSyncStartedAt ??= deps.clock.now().toISOString();
    const startedAt = firstSyncStartedAt;
    if (isFirst)
      await status.setFirstSync({
        received: firstSyncReceived,
        total: firstSyncReceived,
        pages: firstSyncPages,
        startedAt,
      });
    const base = firstSyncReceived;
    const { received } = await pullAll(exchangeDeps(), {
      stream,
      pageSize: tuning.pullPageSize,
      transactionMs: tuning.pullTransactionMs,
      onPage: async ({ received, remaining, pages }) => {
        if (!isFirst) return;
        firstSyncReceived = base + received;
        firstSyncPages += pages;
        await status.setFirstSync({
          received: firstSyncReceived,
          total: firstSyncReceived + remaining,
          pages: firstSyncPages,
          startedAt,
        });
      },
    });
    if (isFirst) await status.setFirstSync(null);
    if (received > 0) deps.onStreamPulled?.(stream, received);
  }

  function connect(creds: DeviceCredentials): void {
    const auth: DeviceAuth = {
      deviceId: creds.deviceId,
      deviceToken: creds.deviceToken,
      protocolVersion: PROTOCOL_VERSION,
    };
    const s = io(creds.hubUrl, {
      auth,
      // Node to hub: no long-polling phase, and nothing that needs sticky sessions when scaled out.
      transports: ['websocket'],
      forceNew: true,
      reconnection: true,
      reconnectionAttempts: Infinity,
      reconnectionDelay: tuning.reconnectDelayMs,
      reconnectionDelayMax: tuning.reconnectDelayMaxMs,
      randomizationFactor: tuning.randomizationFactor,
      timeout: tuning.connectTimeoutMs,
    });
    socket = s;

    s.on('connect', () => {
      log.info('connected to the hub');
      void status.setLastError(null);
      void status.setConnection('online');
      // A session belongs to a socket: a new connection opens it again.
      sessionOpen = false;
      pingAnswered = true;
      sessionStreams = [];
      wantSession = !!deps.staffSession?.proof();
      wantEpoch = true;
      epochChecked = false;
      void kick(true, true);
    });

    s.on('disconnect', (reason) => {
      log.info({ reason }, 'disconnected from the hub');
      if (stopped) return;
      void status.setConnection('offline');
      // socket.io reconnects by itself except when the server closed this socket on purpose.
      if (reason === 'io server disconnect') schedule(() => s.connect(), tuning.reconnectDelayMs);
    });

    s.on('connect_error', (err: Error & { data?: unknown }) => {
      if (stopped) return;
      void status.setConnection('offline');
      const refusal = ConnectRefusal.safeParse(err.data);
      if (refusal.success) {
        // The hub's middleware refused us: socket.io will not retry this; we do, slowly.
        log.warn({ code: refusal.data.code }, 'the hub refused this device');
        void status.setLastError(refusal.data.code);
        schedule(() => s.connect(), tuning.refusalRetryMs);
      }
    });

    s.on(SyncEvent.poke, () => void kick(true, false));
  }

  return {
    /** Starts syncing with these credentials (after enrollment, or at start-up when enrolled). */
    async start(creds: DeviceCredentials): Promise<void> {
      if (socket) return;
      stopped = false;
      await status.setConnection('connecting');
      connect(creds);
    },

    /** After stop(): the device left its hub (credentials forgotten, outbox kept). */
    async left(): Promise<void> {
      await status.setLastError(null);
      await status.setConnection('not_enrolled');
    },

    /** The device cannot sync at all (e.g. its sealed credentials cannot be opened): say why. */
    async cannotStart(code: string): Promise<void> {
      await status.setConnection('offline');
      await status.setLastError(code);
    },

    /** The signed-in staff changed: open (or close) their session at the hub and pull its lists. */
    sessionChanged(): void {
      wantSession = true;
      if (socket?.connected) void kick(false, false);
    },

    /** Call after a transaction that enqueued mutations has committed. */
    outboxChanged(): void {
      void status.refresh();
      if (socket?.connected) void kick(false, true);
    },

    /** A manual "sync now": reconnect at once if we are offline, else run a full round. */
    async syncNow(): Promise<SyncStatus> {
      if (socket && !socket.connected) {
        socket.connect();
      } else if (socket) {
        await kick(true, true);
      }
      return status.refresh();
    },

    status: (): Promise<SyncStatus> => status.current(),
    /** Something the status shows changed outside sync (the clock warning). */
    refreshStatus: (): void => void status.refresh(),
    /** Resolves when no round is running (tests and shutdown). */
    idle: async (): Promise<void> => {
      while (round) await round.catch(() => {});
    },

    async stop(): Promise<void> {
      stopped = true;
      if (retryTimer !== null) timers.clearTimeout(retryTimer);
      retryTimer = null;
      socket?.disconnect();
      socket?.removeAllListeners();
      socket = null;
      await round?.catch(() => {});
      await status.current().catch(() => {});
    },
  };
}

export type SyncEngine = ReturnType<typeof createSyncEngine>;
