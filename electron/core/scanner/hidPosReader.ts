/**
 * A ScannerSource for scanners in HID POS mode, read with node-hid. node-hid has no hot-plug
 * events, so the reader polls the device list: a chosen scanner that disappears is shown as
 * waiting (unplugging is normal at a till, not an error) and is reopened when it comes back.
 * The USB edge is the `HidBackend` interface: node-hid in the app, a fake in tests.
 */
import { EventEmitter } from 'node:events';
import { createReportAssembler, HID_POS_USAGE_PAGE } from './hidPosReport';
import type { ScanEvent, ScannerSource, ScannerState } from './source';

export interface HidDeviceInfo {
  path: string;
  vendorId: number;
  productId: number;
  product: string;
  usagePage: number | null;
}

export interface HidHandle {
  on(event: 'data', listener: (data: Buffer) => void): void;
  on(event: 'error', listener: (err: Error) => void): void;
  close(): Promise<void>;
}

export interface HidBackend {
  devices(): Promise<HidDeviceInfo[]>;
  open(path: string): Promise<HidHandle>;
}

/** The real backend. node-hid is loaded lazily so machines without it still run everything else. */
export async function nodeHidBackend(): Promise<HidBackend> {
  const hid = await import('node-hid');
  return {
    devices: async () =>
      (await hid.devicesAsync())
        .filter((d) => d.path)
        .map((d) => ({
          path: d.path!,
          vendorId: d.vendorId,
          productId: d.productId,
          product: d.product ?? `${d.vendorId.toString(16)}:${d.productId.toString(16)}`,
          usagePage: d.usagePage ?? null,
        })),
    open: async (path) => (await hid.HIDAsync.open(path)) as unknown as HidHandle,
  };
}

/** Scanners in HID POS mode announce usage page 0x8C. */
export const listPosScanners = async (backend: HidBackend): Promise<HidDeviceInfo[]> =>
  (await backend.devices()).filter((d) => d.usagePage === HID_POS_USAGE_PAGE);

export interface HidPosReaderOptions {
  backend: HidBackend;
  /** The device chosen in Settings, or null for the first POS scanner found. */
  devicePath: string | null;
  pollMs?: number;
  setInterval?: (fn: () => void, ms: number) => unknown;
  clearInterval?: (handle: unknown) => void;
}

export function createHidPosReader(options: HidPosReaderOptions): ScannerSource & { poll(): Promise<void> } {
  const events = new EventEmitter();
  const pollMs = options.pollMs ?? 2000;
  const setIntervalFn = options.setInterval ?? ((fn, ms) => setInterval(fn, ms));
  const clearIntervalFn =
    options.clearInterval ?? ((h) => clearInterval(h as ReturnType<typeof setInterval>));
  let handle: HidHandle | null = null;
  let openPath: string | null = null;
  let ticker: unknown = null;
  let state: ScannerState = { state: 'disabled' };

  const setState = (next: ScannerState) => {
    state = next;
    events.emit('state', state);
  };
  const assembler = createReportAssembler((code, symbologyId) => {
    const scan: ScanEvent = symbologyId ? { code, origin: 'hid', symbologyId } : { code, origin: 'hid' };
    events.emit('scan', scan);
  });

  const dropHandle = async () => {
    const h = handle;
    handle = null;
    openPath = null;
    assembler.reset();
    await h?.close().catch(() => {});
  };

  async function poll(): Promise<void> {
    try {
      const scanners = await listPosScanners(options.backend);
      const wanted = options.devicePath ? scanners.find((d) => d.path === options.devicePath) : scanners[0];
      if (!wanted) {
        if (handle) await dropHandle();
        if (state.state !== 'waiting') setState({ state: 'waiting', devicePath: options.devicePath });
        return;
      }
      if (handle && openPath === wanted.path) return;
      await dropHandle();
      const h = await options.backend.open(wanted.path);
      handle = h;
      openPath = wanted.path;
      h.on('data', (data) => assembler.push(data));
      // Unplugging surfaces as a read error: wait for the device to come back.
      h.on('error', () => {
        if (handle !== h) return;
        void dropHandle().then(() => setState({ state: 'waiting', devicePath: options.devicePath }));
      });
      setState({ state: 'connected', devicePath: wanted.path, product: wanted.product });
    } catch (err) {
      await dropHandle();
      setState({ state: 'error', message: err instanceof Error ? err.message : String(err) });
    }
  }

  return {
    origin: 'hid',
    poll,
    start() {
      if (ticker !== null) return;
      void poll();
      ticker = setIntervalFn(() => void poll(), pollMs);
    },
    async stop() {
      if (ticker !== null) clearIntervalFn(ticker);
      ticker = null;
      await dropHandle();
      setState({ state: 'disabled' });
    },
    onScan(listener) {
      events.on('scan', listener);
      return () => events.off('scan', listener);
    },
    onState(listener) {
      events.on('state', listener);
      return () => events.off('state', listener);
    },
  };
}
