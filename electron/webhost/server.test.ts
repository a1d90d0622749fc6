import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startWebHost, type WebHost } from './server';
import { connectClient, fakeCore, makeStaticDir, offlineStatus } from '../testing/webhost';

const hasId = (id: unknown) => (m: unknown) => (m as { id?: unknown }).id === id;

describe('web host', () => {
  let host: WebHost;
  let core: ReturnType<typeof fakeCore>;
  let wsUrl: string;

  beforeEach(async () => {
    core = fakeCore();
    host = await startWebHost({ core, staticDir: await makeStaticDir(), maxMessageBytes: 4096 });
    wsUrl = `${host.url.replace('http', 'ws')}/api`;
  });
  afterEach(async () => {
    await host.close();
  });

  it('answers a ConsoleApi call with the result under the same id', async () => {
    const client = await connectClient(wsUrl, host.url);
    client.send(JSON.stringify({ id: 7, method: 'session.signIn', input: { staffCode: 'S1', pin: '1234' } }));
    const reply = await client.next(hasId(7));
    expect(reply.result.ok).toBe(true);
    expect(reply.result.value.displayName).toBe('Test Staff');
    client.close();
  });

  it('passes error codes through as values', async () => {
    const client = await connectClient(wsUrl, host.url);
    client.send(
      JSON.stringify({ id: 'a', method: 'session.signIn', input: { staffCode: 'S1', pin: '9999' } }),
    );
    client.send(
      JSON.stringify({ id: 'b', method: 'session.signIn', input: { staffCode: 'S1', pin: 'abc' } }),
    );
    client.send(JSON.stringify({ id: 'c', method: 'no.such.method', input: {} }));
    expect((await client.next(hasId('a'))).result.error.code).toBe('SIGNIN_FAILED');
    expect((await client.next(hasId('b'))).result.error.code).toBe('VALIDATION_FAILED');
    expect((await client.next(hasId('c'))).result.error.code).toBe('NOT_FOUND');
    client.close();
  });

  it('replies to malformed messages with an error and keeps serving', async () => {
    const client = await connectClient(wsUrl, host.url);
    client.send('this is not json');
    const bad = await client.next(hasId(null));
    expect(bad.result).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    client.send(JSON.stringify({ id: 3, input: {} }));
    expect((await client.next(hasId(3))).result.error.code).toBe('VALIDATION_FAILED');
    client.send(JSON.stringify({ id: 4, method: 'sync.status' }));
    expect((await client.next(hasId(4))).result).toEqual({ ok: true, value: offlineStatus });
    client.close();
  });

  it('pushes core events to every connected client', async () => {
    const first = await connectClient(wsUrl, host.url);
    const second = await connectClient(wsUrl, host.url);
    core.emit('sync.status', { ...offlineStatus, queued: 5 });
    const isEvent = (m: unknown) => (m as { event?: string }).event === 'sync.status';
    expect((await first.next(isEvent)).payload.queued).toBe(5);
    expect((await second.next(isEvent)).payload.queued).toBe(5);
    first.close();
    second.close();
  });

  it('refuses WebSocket upgrades from another origin', async () => {
    const socket = new WebSocket(wsUrl, { origin: 'http://evil.example' });
    const status = await new Promise<number | undefined>((resolve) => {
      socket.on('unexpected-response', (_req, res) => resolve(res.statusCode));
      socket.on('error', () => resolve(undefined));
    });
    expect(status).toBe(403);
  });

  it('closes a connection that sends an oversized message, and stays up for others', async () => {
    const client = await connectClient(wsUrl, host.url);
    const closed = new Promise<number>((resolve) => client.socket.on('close', (code) => resolve(code)));
    client.send(JSON.stringify({ id: 1, method: 'sync.status', input: { pad: 'x'.repeat(10_000) } }));
    expect(await closed).toBe(1009);
    const other = await connectClient(wsUrl, host.url);
    other.send(JSON.stringify({ id: 2, method: 'app.info' }));
    expect((await other.next(hasId(2))).result.ok).toBe(true);
    other.close();
  });

  it('serves the renderer, falls back to index.html for app paths, and 404s missing assets', async () => {
    const asset = await fetch(`${host.url}/assets/app.js`);
    expect(asset.status).toBe(200);
    expect(await asset.text()).toContain('console.log');
    const page = await fetch(`${host.url}/settings`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="app">');
    expect((await fetch(`${host.url}/assets/missing.js`)).status).toBe(404);
  });

  it('refuses requests that name a non-loopback Host (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = request(`${host.url}/`, { headers: { host: `evil.example:${host.port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });

  it('only listens on loopback', async () => {
    await expect(startWebHost({ core, staticDir: '.', host: '0.0.0.0' })).rejects.toThrow(/loopback/);
  });

  it('stops sending events and frees the port on close', async () => {
    expect(core.listenerCount()).toBe(1);
    await host.close();
    expect(core.listenerCount()).toBe(0);
    await expect(fetch(`${host.url}/`)).rejects.toThrow();
  });
});
