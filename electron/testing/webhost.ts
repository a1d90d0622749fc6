/**
 * Test helpers for the web host edge: a fake console core (the real dispatcher over canned
 * handlers, plus an event emitter) and a WebSocket client that waits for replies.
 */
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { AppError, ErrorCode } from '../../backend-sync/domain/errors';
import type {
  ConsoleEventName,
  ConsoleHandlers,
  SessionStaff,
  SyncStatus,
} from '../core/consoleApi/contract';
import { createDispatcher } from '../core/consoleApi/dispatcher';
import type { ConsoleCore } from '../core';

export const offlineStatus: SyncStatus = {
  connection: 'offline',
  offlineSince: '2026-01-01T10:00:00.000Z',
  offlineRedeemUntil: '2026-01-04T10:00:00.000Z',
  lastSyncAt: null,
  queued: 2,
  queuedRedemptions: 1,
  conflicts: 0,
  rejected: 0,
  firstSync: null,
  lastErrorCode: null,
  oldestQueuedAt: '2026-01-01T09:59:00.000Z',
};

export function fakeCore(): Pick<ConsoleCore, 'dispatch' | 'onEvent'> & {
  emit(name: ConsoleEventName, payload: unknown): void;
  listenerCount(): number;
} {
  const listeners = new Set<(name: ConsoleEventName, payload: unknown) => void>();
  let session: SessionStaff | null = null;
  // Only the calls the web-host tests exercise; the rest answer INTERNAL.
  const handlers: Partial<ConsoleHandlers> = {
    'app.info': async () => ({ version: '0.0.0-test', protocolVersion: 1, host: 'web' }),
    'settings.get': async () => ({ locale: 'zh-TW' }),
    'settings.update': async (input) => ({ locale: input.locale ?? 'zh-TW' }),
    'enrollment.get': async () => ({
      enrolled: false,
      hubUrl: null,
      deviceId: null,
      deviceName: null,
      brandName: null,
      branchName: null,
      suggestedHubUrl: 'http://127.0.0.1:4100',
      timeZone: null,
      englishLocale: null,
      credentialsUnreadable: false,
    }),
    'enrollment.enroll': async () => {
      throw new AppError(ErrorCode.PAIRING_CODE_INVALID, 'Unknown pairing code');
    },
    'session.get': async () => session,
    'session.signIn': async ({ staffCode, pin }) => {
      if (pin !== '1234') throw new AppError(ErrorCode.SIGNIN_FAILED, 'Wrong staff code or PIN');
      session = {
        id: 's1',
        staffCode,
        displayName: 'Test Staff',
        role: 'sales_associate',
        branchId: 'b1',
        signedInAt: '2026-01-01T10:00:00.000Z',
      };
      return session;
    },
    'session.signOut': async () => {
      session = null;
      return null;
    },
    'sync.status': async () => offlineStatus,
    'sync.now': async () => offlineStatus,
  };
  return {
    dispatch: createDispatcher(handlers as ConsoleHandlers),
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(name, payload) {
      for (const l of listeners) l(name, payload);
    },
    listenerCount: () => listeners.size,
  };
}

export async function makeStaticDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'omo-webhost-'));
  await mkdir(path.join(dir, 'assets'));
  await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>OMO</title><div id="app"></div>');
  await writeFile(path.join(dir, 'assets', 'app.js'), 'console.log("app");');
  return dir;
}

/** A WebSocket client that collects every message so tests can wait for the one they expect. */
export async function connectClient(url: string, origin: string) {
  const socket = new WebSocket(url, { origin });
  const messages: unknown[] = [];
  const waiters: { match: (m: unknown) => boolean; resolve: (m: unknown) => void }[] = [];
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as unknown;
    messages.push(message);
    for (const w of [...waiters]) {
      if (w.match(message)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(message);
      }
    }
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return {
    socket,
    send: (text: string) => socket.send(text),
    // Replies are loosely shaped JSON; tests read into them directly.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    next(match: (m: unknown) => boolean, timeoutMs = 2000): Promise<any> {
      const seen = messages.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('timed out waiting for a message')), timeoutMs);
        waiters.push({ match, resolve: (m) => (clearTimeout(timer), resolve(m)) });
      });
    },
    close: () => socket.close(),
  };
}
