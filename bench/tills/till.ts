/**
 * A simulated till, written from docs/protocol.md alone: it enrolls over HTTP with its pairing
 * code, connects with socket.io (websocket transport), pulls its streams to the end, opens its
 * associate's session with the PIN, pushes redemptions, and pulls whenever the hub pokes it (one
 * pull at a time; a poke during a pull makes one more). It keeps cursors and the ids it has seen,
 * not the rows, so hundreds of them fit in one process.
 */
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import {
  PROTOCOL_VERSION,
  SyncEvent,
  type AckError,
  type EnrollResponse,
  type Poke,
  type PullResponse,
  type PullStream,
  type PushResponse,
  type SessionOpenResponse,
} from '../../backend-sync/protocol';
import type { ChainTill } from './chain';
import { CHAIN_PIN } from './chain';

const ACK_TIMEOUT_MS = 180_000;
const PAGE_SIZE = 5000;

export class TillError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const isAckError = (v: unknown): v is AckError =>
  typeof v === 'object' && v !== null && 'error' in v && typeof (v as AckError).error?.code === 'string';

export class SimTill {
  socket: Socket | null = null;
  deviceId = '';
  private token = '';
  readonly cursors = new Map<PullStream, number>();
  /** Ids of customers this till has received in its list streams. */
  readonly customers = new Set<string>();
  pokes = 0;
  pulls = 0;
  changesReceived = 0;
  private pulling: Promise<void> | null = null;
  private again = false;
  private streams: PullStream[] = ['device'];
  private customerWaiters: ((customerId: string) => void)[] = [];

  constructor(
    readonly plan: ChainTill,
    readonly hubUrl: string,
  ) {}

  async enroll(): Promise<void> {
    const res = await fetch(`${this.hubUrl}/api/devices/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        pairingCode: this.plan.pairingCode,
        deviceName: `Till ${this.plan.index}`,
        protocolVersion: PROTOCOL_VERSION,
      }),
    });
    const body = (await res.json()) as EnrollResponse | { error: { code: string; message: string } };
    if (!res.ok || 'error' in body) {
      const error = 'error' in body ? body.error : { code: String(res.status), message: res.statusText };
      throw new TillError(error.code, `enroll ${this.plan.pairingCode}: ${error.message}`);
    }
    this.deviceId = body.deviceId;
    this.token = body.deviceToken;
  }

  connect(): Promise<void> {
    const socket = io(this.hubUrl, {
      auth: { deviceId: this.deviceId, deviceToken: this.token, protocolVersion: PROTOCOL_VERSION },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      timeout: ACK_TIMEOUT_MS,
    });
    this.socket = socket;
    socket.on(SyncEvent.poke, (poke: Poke) => {
      this.pokes++;
      void poke;
      this.pullAll().catch(() => undefined);
    });
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (err: Error & { data?: { code?: string } }) =>
        reject(new TillError(err.data?.code ?? 'CONNECT_FAILED', err.message)),
      );
    });
  }

  private async ask<T>(event: string, payload: unknown): Promise<T> {
    if (!this.socket) throw new TillError('NOT_CONNECTED', 'connect first');
    const answer = (await this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck(event, payload)) as unknown;
    if (isAckError(answer)) throw new TillError(answer.error.code, `${event}: ${answer.error.message}`);
    return answer as T;
  }

  /** Pulls every open stream to the end; a call during a pull makes the running one go round again. */
  pullAll(): Promise<void> {
    if (this.pulling) {
      this.again = true;
      return this.pulling;
    }
    this.pulling = (async () => {
      try {
        do {
          this.again = false;
          for (const stream of this.streams) await this.pullStream(stream);
        } while (this.again);
      } finally {
        this.pulling = null;
      }
    })();
    return this.pulling;
  }

  private async pullStream(stream: PullStream): Promise<void> {
    for (;;) {
      const page = await this.ask<PullResponse>(SyncEvent.pull, {
        stream,
        cursor: this.cursors.get(stream) ?? 0,
        limit: PAGE_SIZE,
      });
      this.pulls++;
      this.changesReceived += page.changes.length;
      for (const change of page.changes) {
        if (change.entity !== 'customer') continue;
        if (this.customers.has(change.id)) continue;
        this.customers.add(change.id);
        for (const waiter of this.customerWaiters.splice(0)) waiter(change.id);
      }
      this.cursors.set(stream, page.cursor);
      if (!page.hasMore) return;
    }
  }

  /** Resolves when no pull is running. */
  async idle(): Promise<void> {
    while (this.pulling) await this.pulling.catch(() => undefined);
  }

  async signIn(): Promise<SessionOpenResponse> {
    const session = await this.ask<SessionOpenResponse>(SyncEvent.sessionOpen, {
      staffId: this.plan.staffId,
      pin: CHAIN_PIN,
    });
    this.streams = ['device', ...session.streams];
    return session;
  }

  /** Pushes the till's `n`th redemption (one mutation, as a till pushes right after redeeming). */
  async redeem(n: number): Promise<void> {
    const claim = this.plan.claims[n];
    if (!claim) throw new TillError('NO_CLAIM', `till ${this.plan.index} has no claim ${n}`);
    const id = randomUUID();
    const { results } = await this.ask<PushResponse>(SyncEvent.push, {
      mutations: [
        {
          id,
          kind: 'redemption.create',
          payload: {
            claimId: claim.id,
            couponId: claim.couponId,
            staffId: this.plan.staffId,
            scannedCode: claim.code,
          },
          deviceTime: new Date().toISOString(),
        },
      ],
    });
    const result = results[0];
    if (result?.status !== 'applied')
      throw new TillError('PUSH_NOT_APPLIED', `push ${id}: ${JSON.stringify(result)}`);
  }

  /** Resolves with the next customer a pull brings that this till had not seen. */
  nextNewCustomer(): Promise<string> {
    return new Promise((resolve) => this.customerWaiters.push(resolve));
  }

  close(): void {
    this.socket?.disconnect();
    this.socket = null;
  }
}
