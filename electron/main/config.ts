/**
 * The app's start-up configuration and what it decides, as pure functions (no Electron import):
 * `<userData>/config.json` (written by the shop's IT or the installer), the environment and the
 * command line give the hub to suggest on the enrollment screen, the crash-report upload URL and
 * the log level; `decideHubSetup` says whether this start enrolls to a demo hub or shows the
 * enrollment screen. A packaged app never uses a demo hub unless started with `--demo` and given
 * one (scripts/start.ts starts the demo hub as its own process and passes it in).
 */
import { z } from 'zod';

const httpUrl = z.url({ protocol: /^https?$/ });

export const AppConfig = z.looseObject({
  /** The hub prefilled on the enrollment screen. */
  hubUrl: httpUrl.optional(),
  /** Where Electron's crashReporter uploads minidumps; without it they stay on the PC. */
  crashReportUrl: httpUrl.optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).optional(),
});
export type AppConfig = z.infer<typeof AppConfig>;

/** What a start is told: the parsed config.json (null when there is none), env and argv. */
export interface StartInputs {
  config: AppConfig | null;
  env: Readonly<Record<string, string | undefined>>;
  argv: readonly string[];
  packaged: boolean;
}

export type HubSetup =
  /** Show the enrollment screen, with this hub URL prefilled when one is configured. */
  | { kind: 'enroll'; suggestedHubUrl: string | null }
  /** Development demo: enroll at once to the demo hub scripts/start.ts started beside the app. */
  | { kind: 'demo'; hubUrl: string; pairingCode: string };

/** config.json's text → the config, or an error that names the file and the bad field. */
export function parseAppConfig(raw: string | null): AppConfig | null {
  if (raw === null) return null;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw new Error(
      `config.json is invalid: not JSON (${err instanceof Error ? err.message : String(err)})`,
      {
        cause: err,
      },
    );
  }
  const parsed = AppConfig.safeParse(json);
  if (!parsed.success) throw new Error(`config.json is invalid: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

function checkedUrl(name: string, value: string): string {
  const parsed = httpUrl.safeParse(value);
  if (!parsed.success) throw new Error(`${name} must be an http(s) URL, not ${JSON.stringify(value)}`);
  return parsed.data;
}

/** OMO_HUB_URL wins over config.json's hubUrl; none gives null. */
export function configuredHubUrl(inputs: Pick<StartInputs, 'config' | 'env'>): string | null {
  if (inputs.env.OMO_HUB_URL) return checkedUrl('OMO_HUB_URL', inputs.env.OMO_HUB_URL);
  return inputs.config?.hubUrl ?? null;
}

export function crashReportUrl(inputs: Pick<StartInputs, 'config' | 'env'>): string | null {
  if (inputs.env.OMO_CRASH_REPORT_URL)
    return checkedUrl('OMO_CRASH_REPORT_URL', inputs.env.OMO_CRASH_REPORT_URL);
  return inputs.config?.crashReportUrl ?? null;
}

export function logLevel(inputs: Pick<StartInputs, 'config' | 'env'>): string {
  const fromEnv = AppConfig.shape.logLevel.safeParse(inputs.env.LOG_LEVEL);
  return (fromEnv.success ? fromEnv.data : undefined) ?? inputs.config?.logLevel ?? 'info';
}

/**
 * Demo only with an explicit `--demo` AND a demo hub handed in (OMO_DEMO_HUB_URL and
 * OMO_DEMO_PAIRING_CODE, set by scripts/start.ts). Everything else — a packaged app with no
 * configuration above all — shows the enrollment screen.
 */
export function decideHubSetup(inputs: StartInputs): HubSetup {
  const suggestedHubUrl = configuredHubUrl(inputs);
  if (!inputs.argv.includes('--demo')) return { kind: 'enroll', suggestedHubUrl };
  const hubUrl = inputs.env.OMO_DEMO_HUB_URL;
  const pairingCode = inputs.env.OMO_DEMO_PAIRING_CODE;
  if (!hubUrl || !pairingCode) {
    throw new Error(
      '--demo needs the demo hub that "npm start" starts (OMO_DEMO_HUB_URL, OMO_DEMO_PAIRING_CODE)',
    );
  }
  return { kind: 'demo', hubUrl: checkedUrl('OMO_DEMO_HUB_URL', hubUrl), pairingCode };
}
