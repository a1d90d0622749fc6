/**
 * The sandboxed preload: exposes the ConsoleApi as `window.omo` and nothing else. Names outside the
 * contract are refused here, the sender is checked again in main and payloads are validated by the
 * core's dispatcher. The page never sees ipcRenderer or the IPC event object.
 * Bundled into one CommonJS file (electron.vite.config.ts): a sandboxed preload cannot require zod.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { isConsoleEvent, isConsoleMethod, type ApiResult } from '../core/consoleApi/contract';

const INVOKE_CHANNEL = 'omo:invoke';
const EVENT_CHANNEL = 'omo:event';

const bridge = {
  invoke(method: unknown, input: unknown): Promise<ApiResult<unknown>> {
    if (!isConsoleMethod(method)) {
      return Promise.resolve({
        ok: false,
        error: { code: 'NOT_FOUND', message: `Unknown ConsoleApi method: ${String(method)}` },
      });
    }
    return ipcRenderer.invoke(INVOKE_CHANNEL, method, input) as Promise<ApiResult<unknown>>;
  },
  on(event: unknown, cb: (payload: unknown) => void): () => void {
    if (!isConsoleEvent(event)) throw new Error(`Unknown ConsoleApi event: ${String(event)}`);
    if (typeof cb !== 'function') throw new TypeError('on(event, cb): cb must be a function');
    const listener = (_e: IpcRendererEvent, name: unknown, payload: unknown) => {
      if (name === event) cb(payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, listener);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, listener);
    };
  },
};

contextBridge.exposeInMainWorld('omo', bridge);
