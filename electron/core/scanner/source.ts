/**
 * Every way a code reaches the till goes through one shape. The keyboard-wedge detector runs in
 * the renderer (where the keystrokes are) and the manual entry field is there too; both reach the
 * core through the ConsoleApi. The HID POS reader runs in the core. All three end as a ScanEvent.
 */
export type ScanOrigin = 'wedge' | 'hid' | 'manual';

export interface ScanEvent {
  code: string;
  origin: ScanOrigin;
  /** AIM symbology identifier when the reader reports one (e.g. "]E0" for EAN-13). */
  symbologyId?: string;
}

export type ScannerState =
  | { state: 'disabled' }
  | { state: 'waiting'; devicePath: string | null } // chosen device not plugged in
  | { state: 'connected'; devicePath: string; product: string }
  | { state: 'error'; message: string };

export interface ScannerSource {
  readonly origin: ScanOrigin;
  start(): void;
  stop(): Promise<void>;
  onScan(listener: (scan: ScanEvent) => void): () => void;
  onState(listener: (state: ScannerState) => void): () => void;
}
