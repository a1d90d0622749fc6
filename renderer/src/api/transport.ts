/**
 * How the renderer reaches the console core. Two transports behind one interface: the Electron
 * preload bridge, and a WebSocket to the web host (browser tests and development).
 */
import type { ApiResult } from '../../../electron/core/consoleApi/contract';

export interface Transport {
  invoke(method: string, input: unknown): Promise<ApiResult<unknown>>;
  on(event: string, cb: (payload: unknown) => void): () => void;
  /** Called with `true` each time the link to the core (re)opens, `false` when it drops. */
  onConnection(cb: (connected: boolean) => void): () => void;
}

/** Renderer-side codes for failures of the link itself (the core never sends these). */
export const LinkErrorCode = {
  CONSOLE_DISCONNECTED: 'CONSOLE_DISCONNECTED',
  CONSOLE_TIMEOUT: 'CONSOLE_TIMEOUT',
} as const;

export function bridgeTransport(bridge: OmoBridge): Transport {
  return {
    invoke: (method, input) => bridge.invoke(method as never, input),
    on: (event, cb) => bridge.on(event as never, cb),
    // The preload bridge lives as long as the page: it is always connected.
    onConnection: (cb) => {
      cb(true);
      return () => {};
    },
  };
}
