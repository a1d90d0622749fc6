/**
 * WebSocket transport to the web host: `{id, method, input}` → `{id, result}`, plus pushed
 * `{event, payload}`. Requests made while the socket is down wait for the next connection; requests
 * in flight when it drops fail with CONSOLE_DISCONNECTED (the core may or may not have run them, so
 * the caller decides whether to retry). Reconnects back off with jitter.
 */
import type { ApiResult } from '../../../electron/core/consoleApi/contract';
import { LinkErrorCode, type Transport } from './transport';

/** The subset of the WebSocket API we use, so tests can pass the `ws` package's class. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}
export type WebSocketFactory = (url: string) => WebSocketLike;

export interface WsTransportOptions {
  url: string;
  createSocket?: WebSocketFactory;
  requestTimeoutMs?: number;
  minReconnectMs?: number;
  maxReconnectMs?: number;
}

interface Pending {
  message: string;
  sent: boolean;
  resolve: (r: ApiResult<unknown>) => void;
  timer: ReturnType<typeof setTimeout>;
}

const OPEN = 1;

export function webSocketUrlFor(location: { protocol: string; host: string }): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api`;
}

export function wsTransport(options: WsTransportOptions): Transport & { close(): void } {
  const createSocket =
    options.createSocket ?? ((url: string) => new WebSocket(url) as unknown as WebSocketLike);
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const minReconnectMs = options.minReconnectMs ?? 250;
  const maxReconnectMs = options.maxReconnectMs ?? 5_000;

  const pending = new Map<number, Pending>();
  const eventListeners = new Map<string, Set<(payload: unknown) => void>>();
  const connectionListeners = new Set<(connected: boolean) => void>();
  let socket: WebSocketLike | null = null;
  let connected = false;
  let nextId = 1;
  let attempt = 0;
  let closed = false;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;

  const fail = (code: string, message: string): ApiResult<never> => ({ ok: false, error: { code, message } });

  function setConnected(value: boolean) {
    if (connected === value) return;
    connected = value;
    for (const cb of connectionListeners) cb(value);
  }

  function flush() {
    if (!socket || socket.readyState !== OPEN) return;
    for (const p of pending.values()) {
      if (!p.sent) {
        socket.send(p.message);
        p.sent = true;
      }
    }
  }

  function handleMessage(raw: unknown) {
    let msg: unknown;
    try {
      msg = JSON.parse(typeof raw === 'string' ? raw : String(raw));
    } catch {
      return;
    }
    if (typeof msg !== 'object' || msg === null) return;
    const m = msg as { id?: unknown; result?: ApiResult<unknown>; event?: unknown; payload?: unknown };
    if (typeof m.event === 'string') {
      for (const cb of eventListeners.get(m.event) ?? []) cb(m.payload);
      return;
    }
    if (typeof m.id === 'number' && m.result) {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      clearTimeout(p.timer);
      p.resolve(m.result);
    }
  }

  function connect() {
    reconnectTimer = null;
    const ws = createSocket(options.url);
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
      setConnected(true);
      flush();
    };
    ws.onmessage = (ev) => handleMessage(ev.data);
    ws.onerror = () => {
      // onclose follows; reconnection is handled there.
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      setConnected(false);
      for (const [id, p] of pending) {
        if (!p.sent) continue;
        pending.delete(id);
        clearTimeout(p.timer);
        p.resolve(fail(LinkErrorCode.CONSOLE_DISCONNECTED, 'Connection to the console was lost'));
      }
      if (!closed) scheduleReconnect();
    };
  }

  function scheduleReconnect() {
    const base = Math.min(maxReconnectMs, minReconnectMs * 2 ** attempt);
    attempt += 1;
    // Jitter so many tabs (or a restarted host) don't reconnect in lockstep.
    const delay = base / 2 + Math.random() * (base / 2);
    reconnectTimer = setTimeout(connect, delay);
  }

  connect();

  return {
    invoke(method, input) {
      if (closed) return Promise.resolve(fail(LinkErrorCode.CONSOLE_DISCONNECTED, 'Transport closed'));
      const id = nextId++;
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          resolve(fail(LinkErrorCode.CONSOLE_TIMEOUT, `No answer to ${method}`));
        }, requestTimeoutMs);
        pending.set(id, { message: JSON.stringify({ id, method, input }), sent: false, resolve, timer });
        flush();
      });
    },
    on(event, cb) {
      let set = eventListeners.get(event);
      if (!set) eventListeners.set(event, (set = new Set()));
      set.add(cb);
      return () => set.delete(cb);
    },
    onConnection(cb) {
      connectionListeners.add(cb);
      if (connected) cb(true);
      return () => connectionListeners.delete(cb);
    },
    close() {
      closed = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      for (const p of pending.values()) {
        clearTimeout(p.timer);
        p.resolve(fail(LinkErrorCode.CONSOLE_DISCONNECTED, 'Transport closed'));
      }
      pending.clear();
      socket?.close();
    },
  };
}
