/**
 * The preload bridge with Electron's contextBridge and ipcRenderer replaced by recorders (the one
 * true edge here): what the page can reach through window.omo, and what it cannot.
 */
import { EventEmitter } from 'node:events';
import { beforeAll, describe, expect, it, vi } from 'vitest';

const exposed: Record<string, unknown> = {};
const ipc = Object.assign(new EventEmitter(), { invoke: vi.fn(async () => ({ ok: true, value: 'pong' })) });

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
  ipcRenderer: ipc,
}));

type Bridge = {
  invoke(method: unknown, input: unknown): Promise<unknown>;
  on(event: unknown, cb: (payload: unknown) => void): () => void;
};
let omo: Bridge;

beforeAll(async () => {
  await import('./index');
  omo = exposed.omo as Bridge;
});

describe('preload bridge', () => {
  it('exposes only invoke and on', () => {
    expect(Object.keys(exposed)).toEqual(['omo']);
    expect(Object.keys(omo).sort()).toEqual(['invoke', 'on']);
  });

  it('forwards contract methods to main on the invoke channel', async () => {
    await expect(omo.invoke('sync.status', undefined)).resolves.toEqual({ ok: true, value: 'pong' });
    expect(ipc.invoke).toHaveBeenLastCalledWith('omo:invoke', 'sync.status', undefined);
  });

  it('refuses methods outside the contract without calling main', async () => {
    ipc.invoke.mockClear();
    const result = await omo.invoke('__proto__', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    await omo.invoke('fs.readFile', '/etc/passwd');
    expect(ipc.invoke).not.toHaveBeenCalled();
  });

  it('delivers only the subscribed event, payload only, until unsubscribed', () => {
    const seen: unknown[] = [];
    const off = omo.on('sync.status', (...args: unknown[]) => seen.push(args));
    ipc.emit('omo:event', { sender: ipc }, 'sync.status', { connection: 'online' });
    ipc.emit('omo:event', { sender: ipc }, 'session.changed', null);
    off();
    ipc.emit('omo:event', { sender: ipc }, 'sync.status', { connection: 'offline' });
    expect(seen).toEqual([[{ connection: 'online' }]]);
    expect(ipc.listenerCount('omo:event')).toBe(0);
  });

  it('refuses to subscribe to events outside the contract', () => {
    expect(() => omo.on('omo:invoke', () => {})).toThrow(/Unknown ConsoleApi event/);
  });
});
