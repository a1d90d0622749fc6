/**
 * The renderer's typed client over the WebSocket transport, against the real web host (with a
 * fake core behind it): calls, error codes, events, and recovery when the host restarts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startWebHost, type WebHost } from '../../../electron/webhost/server';
import { fakeCore, makeStaticDir, offlineStatus } from '../../../electron/testing/webhost';
import { ApiCallError, createApiClient } from './client';
import { wsTransport, type WebSocketLike } from './ws-transport';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(port = 0) {
  const core = fakeCore();
  const host = await startWebHost({ core, staticDir: await makeStaticDir(), port });
  cleanups.push(() => host.close());
  return { core, host };
}

function clientFor(host: WebHost) {
  const transport = wsTransport({
    url: `${host.url.replace('http', 'ws')}/api`,
    createSocket: (url) => new WebSocket(url, { origin: host.url }) as unknown as WebSocketLike,
    minReconnectMs: 20,
    maxReconnectMs: 100,
  });
  cleanups.push(() => transport.close());
  return createApiClient(transport);
}

function waitFor<T>(register: (resolve: (v: T) => void) => void, timeoutMs = 3000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out')), timeoutMs);
    register((v) => {
      clearTimeout(timer);
      resolve(v);
    });
  });
}

describe('ConsoleApi client over the web host', () => {
  it('returns typed values, including calls made before the socket opened', async () => {
    const { host } = await setup();
    const api = clientFor(host);
    const [info, staff] = await Promise.all([
      api.call('app.info'),
      api.call('session.signIn', { staffCode: 'S1', pin: '1234' }),
    ]);
    expect(info.host).toBe('web');
    expect(staff.displayName).toBe('Test Staff');
  });

  it('throws ApiCallError with the code when the core answers an error', async () => {
    const { host } = await setup();
    const api = clientFor(host);
    const err = await api.call('session.signIn', { staffCode: 'S1', pin: '0000' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiCallError);
    expect((err as ApiCallError).code).toBe('SIGNIN_FAILED');
  });

  it('delivers pushed events to subscribers', async () => {
    const { core, host } = await setup();
    const api = clientFor(host);
    await api.call('app.info');
    const received = waitFor<number>((resolve) => api.on('sync.status', (s) => resolve(s.queued)));
    core.emit('sync.status', { ...offlineStatus, queued: 3 });
    expect(await received).toBe(3);
  });

  it('reconnects after the host restarts on the same port', async () => {
    const first = await setup();
    const api = clientFor(first.host);
    await api.call('app.info');
    let dropped = false;
    const reconnected = waitFor<void>((resolve) =>
      api.onConnection((connected) => {
        if (!connected) dropped = true;
        else if (dropped) resolve();
      }),
    );
    const port = first.host.port;
    await first.host.close();
    await setup(port);
    await reconnected;
    expect((await api.call('app.info')).version).toBe('0.0.0-test');
  });
});
