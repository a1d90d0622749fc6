/**
 * The core's scanner service: scanner settings, the list of HID POS scanners, and the HID POS
 * reader's life (started on the device chosen in Settings, restarted when that changes, its state
 * published). node-hid is loaded only when a HID scanner is wanted; when it cannot load, the
 * state says 'error' with the reason and everything else works on.
 */
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { ConsoleEventPayload, ConsoleHandlers, ScannerSettings } from '../consoleApi/contract';
import { createHidPosReader, listPosScanners, type HidBackend } from './hidPosReader';
import type { ScanEvent, ScannerSource, ScannerState as SourceState } from './source';
import { readScannerSettings, updateScannerSettings } from './settings';

export type ScannerMethod =
  'scanner.settings' | 'scanner.updateSettings' | 'scanner.devices' | 'scanner.state';
type StateView = ConsoleEventPayload<'scanner.state'>;

export interface ScannerServiceDeps {
  db: Knex;
  logger: Logger;
  /** The USB edge; default node-hid, loaded lazily. */
  loadBackend: () => Promise<HidBackend>;
  onScan: (scan: ScanEvent) => void;
  onState: (state: StateView) => void;
  /** Reader polling, for tests. */
  reader?: {
    pollMs?: number;
    setInterval?: (fn: () => void, ms: number) => unknown;
    clearInterval?: (h: unknown) => void;
  };
}

const DISABLED: StateView = { state: 'disabled', devicePath: null, product: null, message: null };

export function toStateView(s: SourceState): StateView {
  switch (s.state) {
    case 'disabled':
      return DISABLED;
    case 'waiting':
      return { state: 'waiting', devicePath: s.devicePath, product: null, message: null };
    case 'connected':
      return { state: 'connected', devicePath: s.devicePath, product: s.product, message: null };
    case 'error':
      return { state: 'error', devicePath: null, product: null, message: s.message };
  }
}

export function createScannerService(deps: ScannerServiceDeps) {
  const log = deps.logger.child({ module: 'scanner' });
  let backend: Promise<HidBackend> | null = null;
  let reader: (ScannerSource & { poll(): Promise<void> }) | null = null;
  let state: StateView = DISABLED;
  // Starts and stops run one after another, in the order asked.
  let chain: Promise<unknown> = Promise.resolve();

  const setState = (next: StateView) => {
    state = next;
    deps.onState(state);
  };

  const getBackend = (): Promise<HidBackend> => {
    backend ??= deps.loadBackend().catch((err: unknown) => {
      backend = null; // try again next time (e.g. after the driver was installed)
      throw err;
    });
    return backend;
  };

  async function stopReader(): Promise<void> {
    const r = reader;
    reader = null;
    await r?.stop();
  }

  async function startReader(devicePath: string | null): Promise<void> {
    await stopReader();
    if (devicePath === null) {
      setState(DISABLED);
      return;
    }
    let hid: HidBackend;
    try {
      hid = await getBackend();
    } catch (err) {
      log.warn({ err }, 'node-hid could not be loaded; HID POS scanning is off');
      setState({
        ...DISABLED,
        state: 'error',
        devicePath,
        message: err instanceof Error ? err.message : String(err),
      });
      return;
    }
    const r = createHidPosReader({ backend: hid, devicePath, ...deps.reader });
    reader = r;
    r.onState((s) => {
      if (reader === r && s.state !== 'disabled') setState(toStateView(s));
    });
    r.onScan((scan) => deps.onScan(scan));
    r.start();
  }

  const restart = (devicePath: string | null): Promise<void> => {
    const next = chain.then(() => startReader(devicePath));
    chain = next.catch((err: unknown) => log.error({ err }, 'scanner restart failed'));
    return next;
  };

  const handlers: Pick<ConsoleHandlers, ScannerMethod> = {
    'scanner.settings': () => readScannerSettings(deps.db),
    'scanner.updateSettings': async (patch) => {
      const before = await readScannerSettings(deps.db);
      const after = await updateScannerSettings(deps.db, patch as Partial<ScannerSettings>);
      // Saving again after an error (e.g. the driver was installed since) tries once more.
      if (after.hidDevicePath !== before.hidDevicePath || state.state === 'error') {
        await restart(after.hidDevicePath);
      }
      return after;
    },
    'scanner.devices': async () => {
      try {
        const list = await listPosScanners(await getBackend());
        return list.map((d) => ({
          path: d.path,
          product: d.product,
          vendorId: d.vendorId,
          productId: d.productId,
        }));
      } catch (err) {
        // No node-hid here: nothing to choose from; scanner.state says why when one is chosen.
        log.warn({ err }, 'listing HID scanners failed');
        return [];
      }
    },
    'scanner.state': async () => state,
  };

  return {
    handlers,
    /** Starts the reader on the device saved in Settings (if any). */
    start: async (): Promise<void> => restart((await readScannerSettings(deps.db)).hidDevicePath),
    stop: async (): Promise<void> => {
      await chain.catch(() => {});
      await stopReader();
    },
    state: (): StateView => state,
  };
}

export type ScannerService = ReturnType<typeof createScannerService>;
