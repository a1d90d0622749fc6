/**
 * The till's scanner settings and state (SPEC §2.1): the keyboard-wedge timing that tells a scan
 * from typing, the HID POS reader the core reads directly, and what that reader is doing now.
 */
import { z } from 'zod';

export const WedgeSettings = z.object({
  minLength: z.number().int().min(2).max(64),
  maxAverageGapMs: z.number().int().min(5).max(200),
  holdTimeoutMs: z.number().int().min(10).max(500),
  suffixKeys: z.array(z.enum(['Enter', 'Tab'])).min(1),
});
export type WedgeSettingsValue = z.infer<typeof WedgeSettings>;

export const ScannerSettings = z.object({
  wedge: WedgeSettings,
  /** HID POS device path chosen in Settings; null = off. */
  hidDevicePath: z.string().max(500).nullable(),
  sounds: z.boolean(),
});
export type ScannerSettings = z.infer<typeof ScannerSettings>;

export const ScannerState = z.object({
  state: z.enum(['disabled', 'waiting', 'connected', 'error']),
  devicePath: z.string().nullable(),
  product: z.string().nullable(),
  message: z.string().nullable(),
});

export const HidDevice = z.object({
  path: z.string(),
  product: z.string(),
  vendorId: z.number(),
  productId: z.number(),
});
