/**
 * The Electron preload exposes the ConsoleApi as `window.omo` (contextBridge). The web host has no
 * bridge; the client then talks WebSocket instead (see transport.ts).
 */
import type { ApiResult, ConsoleEventName, ConsoleMethod } from '../../../electron/core/consoleApi/contract';

declare global {
  interface OmoBridge {
    invoke(method: ConsoleMethod, input: unknown): Promise<ApiResult<unknown>>;
    /** Subscribes to a core event; returns the unsubscribe function. */
    on(event: ConsoleEventName, cb: (payload: unknown) => void): () => void;
  }
  interface Window {
    omo?: OmoBridge;
  }
}

export {};
