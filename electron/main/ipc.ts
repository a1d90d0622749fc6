/**
 * The ConsoleApi over Electron IPC: one channel for calls, one for events. Main checks that each
 * call comes from our own page (app://console) before handing it to the core, whose dispatcher
 * validates the method name and payload against the zod contract.
 */
import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron';
import type { ApiResult } from '../core/consoleApi/contract';
import type { ConsoleCore } from '../core';
import { isTrustedSender } from './policy';

export const INVOKE_CHANNEL = 'omo:invoke';
export const EVENT_CHANNEL = 'omo:event';

const refuse = (code: string, message: string): ApiResult<never> => ({ ok: false, error: { code, message } });

/** The seam between Electron's event and the pure rule in policy.ts. */
function senderOf(event: IpcMainInvokeEvent) {
  const frame = event.senderFrame;
  return frame ? { url: frame.url, isTopFrame: frame.parent === null } : null;
}

/** Registers the handler and forwards core events to every window; returns the undo function. */
export function registerConsoleIpc(core: ConsoleCore, onError: (err: unknown) => void): () => void {
  ipcMain.handle(INVOKE_CHANNEL, async (event, method: unknown, input: unknown) => {
    if (!isTrustedSender(senderOf(event))) return refuse('FORBIDDEN', 'Caller is not the console page');
    try {
      return await core.dispatch(method, input);
    } catch (err) {
      onError(err);
      return refuse('INTERNAL', 'Internal error');
    }
  });
  const stopEvents = core.onEvent((name, payload) => {
    for (const win of BrowserWindow.getAllWindows()) {
      if (!win.isDestroyed()) win.webContents.send(EVENT_CHANNEL, name, payload);
    }
  });
  return () => {
    ipcMain.removeHandler(INVOKE_CHANNEL);
    stopEvents();
  };
}
