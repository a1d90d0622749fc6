/**
 * The app, its settings and the device's enrollment: what the console knows before anyone signs
 * in (version and host, the display language, whether and where this device is enrolled).
 */
import { z } from 'zod';

export const Locale = z.enum(['zh-TW', 'en']);
export type Locale = z.infer<typeof Locale>;

export const EnrollmentInfo = z.object({
  enrolled: z.boolean(),
  hubUrl: z.string().nullable(),
  deviceId: z.string().nullable(),
  deviceName: z.string().nullable(),
  brandName: z.string().nullable(),
  branchName: z.string().nullable(),
  /** Prefilled on the enrollment screen (the embedded demo hub, or configuration). */
  suggestedHubUrl: z.string().nullable(),
  /** The brand's IANA time zone: every time on screen is shown in it (null before enrollment). */
  timeZone: z.string().nullable(),
  /** The brand's locale for dates on English screens (en-HK, en-US, …); null until its row arrives. */
  englishLocale: z.string().nullable(),
  /**
   * The stored device token cannot be opened (OS key store changed, key file lost): the console
   * is not enrolled for syncing, and enrolls again with a new pairing code, keeping its outbox.
   */
  credentialsUnreadable: z.boolean(),
});
export type EnrollmentInfo = z.infer<typeof EnrollmentInfo>;

export const AppInfo = z.object({
  version: z.string(),
  protocolVersion: z.number().int(),
  host: z.enum(['electron', 'web']),
});

export const Settings = z.object({ locale: Locale });
export type Settings = z.infer<typeof Settings>;

/** "Save diagnostics" (Settings): where the zip for the shop's IT was written, and its size. */
export const SavedDiagnostics = z.object({ file: z.string(), bytes: z.number().int().nonnegative() });
export type SavedDiagnostics = z.infer<typeof SavedDiagnostics>;
