/**
 * Scanner settings, kept in `meta` as JSON: the keyboard-wedge thresholds the renderer's detector
 * reads (renderer/src/scanner/wedgeDetector.ts has the same defaults), the HID POS device chosen
 * in Settings (null = off) and whether the till plays sounds.
 */
import type { Knex } from 'knex';
import { ScannerSettings } from '../consoleApi/contract';
import { getMeta, setMeta } from '../store/meta';
import { writeTransaction } from '../store/transaction';

export const DEFAULT_SCANNER_SETTINGS: ScannerSettings = {
  wedge: { minLength: 4, maxAverageGapMs: 30, holdTimeoutMs: 50, suffixKeys: ['Enter', 'Tab'] },
  hidDevicePath: null,
  sounds: true,
};

export async function readScannerSettings(db: Knex | Knex.Transaction): Promise<ScannerSettings> {
  const raw = await getMeta(db, 'scannerSettings');
  if (!raw) return DEFAULT_SCANNER_SETTINGS;
  try {
    const stored = JSON.parse(raw) as Partial<ScannerSettings>;
    // Each part falls back on its own, so one bad value does not reset everything.
    const wedge = ScannerSettings.shape.wedge.safeParse(stored.wedge);
    const path = ScannerSettings.shape.hidDevicePath.safeParse(stored.hidDevicePath);
    const sounds = ScannerSettings.shape.sounds.safeParse(stored.sounds);
    return {
      wedge: wedge.success ? wedge.data : DEFAULT_SCANNER_SETTINGS.wedge,
      hidDevicePath: path.success ? path.data : null,
      sounds: sounds.success ? sounds.data : DEFAULT_SCANNER_SETTINGS.sounds,
    };
  } catch {
    return DEFAULT_SCANNER_SETTINGS;
  }
}

export async function updateScannerSettings(
  db: Knex,
  patch: Partial<ScannerSettings>,
): Promise<ScannerSettings> {
  return writeTransaction(db, async (trx) => {
    const current = await readScannerSettings(trx);
    const next = ScannerSettings.parse({ ...current, ...patch });
    await setMeta(trx, { scannerSettings: JSON.stringify(next) });
    return next;
  });
}
