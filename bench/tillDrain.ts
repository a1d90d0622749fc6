/**
 * till.drain_per_s: a console that comes back online with 10,000 queued redemptions, draining
 * them to a real hub (createHub, SQLite, socket.io on loopback). Measured from the start of the
 * drain until the console's status says nothing is queued; redemptions per second.
 * Baseline: sequential bare socket.io emit-with-ack round trips per second on loopback (the
 * transport's own ceiling for one-at-a-time requests).
 *
 * The queued redemptions are written straight into the console's outbox (and till rows), in the
 * shape till/redeem.ts writes them, in one transaction: making 10,000 through till.redeem would
 * measure the commit path 10,000 times (that is till.redeem_commit_ms) and take a minute.
 */
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { Server } from 'socket.io';
import { io } from 'socket.io-client';
import { systemClock, uuidV7 } from '../backend-sync/domain/clock';
import { openHubDb } from '../backend-sync/hub/db';
import { createHub } from '../backend-sync/hub/server';
import { insertClaims, seedFixture } from '../backend-sync/hub/testing/fixtures';
import type {
  ApiResult,
  ConsoleInput,
  ConsoleMethod,
  ConsoleOutput,
  SyncStatus,
} from '../electron/core/consoleApi/contract';
import { createConsoleCore } from '../electron/core/index';
import { createKeyfileSecretStore } from '../electron/core/secrets/keyfile';
import { DB_FILE_NAME } from '../electron/core/store/db';
import type { BenchResult } from './types';

const QUEUED = Number(process.env.BENCH_TILL_QUEUED ?? 10_000);
const ROUND_TRIPS = 3000;

export async function measureDrain(): Promise<BenchResult> {
  const baseline = await emitWithAckPerSecond();
  const value = await drainPerSecond();
  return { name: 'till.drain_per_s', value, unit: '/s', baseline };
}

async function drainPerSecond(): Promise<number> {
  const hubDir = mkdtempSync(path.join(tmpdir(), 'omo-bench-hub-'));
  const consoleDir = mkdtempSync(path.join(tmpdir(), 'omo-bench-console-'));
  try {
    const seedDb = await openHubDb({ dataDir: hubDir });
    const fixture = await seedFixture(seedDb);
    const claims = await insertClaims(seedDb, systemClock, {
      brandId: fixture.brandId,
      couponId: fixture.coupons.everywhere,
      branchIds: [],
      prefix: 'drain',
      count: QUEUED,
    });
    await seedDb.destroy();
    const hub = await createHub({
      port: 0,
      dataDir: hubDir,
      databaseUrl: '',
      logLevel: 'silent',
      adminToken: 'bench',
    });
    const core = await createConsoleCore({
      dataDir: consoleDir,
      secretStore: createKeyfileSecretStore(consoleDir),
      host: 'web',
      appVersion: '0.0.0-bench',
      logger: pino({ level: 'silent' }),
    });
    const call = <M extends ConsoleMethod>(method: M, input?: ConsoleInput<M>) =>
      core.dispatch(method, input) as Promise<ApiResult<ConsoleOutput<M>>>;
    const statuses = new Set<(s: SyncStatus) => void>();
    core.onEvent((name, payload) => {
      if (name === 'sync.status') for (const l of statuses) l(payload as SyncStatus);
    });
    const until = (accept: (s: SyncStatus) => boolean, what: string) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`bench: timed out waiting for ${what}`)), 300_000);
        const check = (s: SyncStatus) => {
          if (!accept(s)) return;
          clearTimeout(timer);
          statuses.delete(check);
          resolve();
        };
        statuses.add(check);
        void call('sync.status').then((r) => r.ok && check(r.value));
      });
    try {
      const enrolled = await call('enrollment.enroll', {
        hubUrl: hub.url,
        pairingCode: fixture.devices.a1.pairingCode,
        deviceName: 'Bench till',
      });
      if (!enrolled.ok) throw new Error(`bench: enrollment failed: ${enrolled.error.code}`);
      await until(
        (s) => s.connection === 'online' && s.firstSync === null && s.lastSyncAt !== null,
        'the first sync',
      );

      const { associateA } = fixture.staff;
      const signedIn = await call('session.signIn', { staffCode: associateA.staffCode, pin: associateA.pin });
      if (!signedIn.ok) throw new Error(`bench: sign-in failed: ${signedIn.error.code}`);
      await until((s) => s.queued === 0, 'the sign-in to sync');
      queueRedemptions(consoleDir, {
        deviceId: fixture.devices.a1.id,
        branchId: fixture.branchA,
        staffId: associateA.id,
        claims,
      });
      const started = performance.now();
      void call('sync.now');
      await until((s) => s.queued === 0, 'the queue to drain');
      const seconds = (performance.now() - started) / 1000;
      const applied = await hub.db('redemptions').count({ n: '*' }).first();
      if (Number(applied?.n) !== QUEUED)
        throw new Error(`bench: the hub holds ${applied?.n} redemptions, not ${QUEUED}`);
      return QUEUED / seconds;
    } finally {
      await core.close();
      await hub.close();
    }
  } finally {
    rmSync(hubDir, { recursive: true, force: true });
    rmSync(consoleDir, { recursive: true, force: true });
  }
}

/** Writes `claims.length` queued redemptions as till/redeem.ts would (outbox + till row + claim mirror). */
function queueRedemptions(
  dataDir: string,
  who: {
    deviceId: string;
    branchId: string;
    staffId: string;
    claims: { id: string; code: string; couponId: string }[];
  },
): void {
  const db = new Database(path.join(dataDir, DB_FILE_NAME));
  try {
    db.pragma('busy_timeout = 5000');
    const outbox = db.prepare(
      `INSERT INTO outbox (id, kind, subject, payload, device_time, status, outcome, created_at, answered_at)
       VALUES (?, 'redemption.create', ?, ?, ?, 'queued', NULL, ?, NULL)`,
    );
    const tillRow = db.prepare(
      `INSERT INTO till_redemptions (id, claim_id, coupon_id, branch_id, device_id, staff_id, scanned_code, code,
         customer_name, redeemed_at, own, mutation_state, state)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, 1, 'queued', 'queued')`,
    );
    const readClaim = db.prepare('SELECT data FROM claims WHERE id = ?');
    const markClaim = db.prepare('UPDATE claims SET redeemed_at = ?, data = ? WHERE id = ?');
    // The sign-in the redemptions are made under (session/index.ts: its staff.signin mutation id).
    const { mutation_id: signInId } = db
      .prepare('SELECT mutation_id FROM signins WHERE staff_id = ? ORDER BY signed_in_at DESC LIMIT 1')
      .get(who.staffId) as { mutation_id: string };
    db.transaction(() => {
      for (const claim of who.claims) {
        const id = uuidV7();
        const at = new Date().toISOString();
        const payload = {
          claimId: claim.id,
          couponId: claim.couponId,
          staffId: who.staffId,
          signInId,
          scannedCode: claim.code,
        };
        outbox.run(id, `claim:${claim.id}`, JSON.stringify(payload), at, at);
        tillRow.run(
          id,
          claim.id,
          claim.couponId,
          who.branchId,
          who.deviceId,
          who.staffId,
          claim.code,
          claim.code,
          at,
        );
        const row = readClaim.get(claim.id) as { data: string } | undefined;
        if (!row) throw new Error(`bench: claim ${claim.id} has not synced to the console`);
        const data = {
          ...JSON.parse(row.data),
          redeemedAt: at,
          redeemedBranchId: who.branchId,
          redeemedDeviceId: who.deviceId,
          redeemedStaffId: who.staffId,
        };
        markClaim.run(at, JSON.stringify(data), claim.id);
      }
    })();
  } finally {
    db.close();
  }
}

async function emitWithAckPerSecond(): Promise<number> {
  const http = createServer();
  const server = new Server(http, { serveClient: false });
  server.on('connection', (socket) =>
    socket.on('echo', (payload: unknown, ack: (x: unknown) => void) => ack(payload)),
  );
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const client = io(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, {
    transports: ['websocket'],
  });
  try {
    await new Promise<void>((resolve) => client.once('connect', () => resolve()));
    const payload = { mutations: [{ id: uuidV7(), kind: 'redemption.create', payload: { claimId: 'x' } }] };
    for (let i = 0; i < 200; i += 1) await client.emitWithAck('echo', payload);
    const started = performance.now();
    for (let i = 0; i < ROUND_TRIPS; i += 1) await client.emitWithAck('echo', payload);
    return ROUND_TRIPS / ((performance.now() - started) / 1000);
  } finally {
    client.disconnect();
    await server.close();
  }
}
