/**
 * The app's part of the ConsoleApi handler table: what this build is (version, protocol, host) and
 * "save diagnostics" (a zip of the database's summary, logs and crash dumps for support).
 */
import path from 'node:path';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { Clock } from '../../../backend-sync/domain/clock';
import { PROTOCOL_VERSION } from '../../../backend-sync/protocol';
import type { ConsoleHandlers, EnrollmentInfo, SyncStatus } from '../consoleApi/contract';
import { saveDiagnostics } from '../diagnostics';

export type AppMethod = 'app.info' | 'diagnostics.save';

/** What "save diagnostics" collects besides the database's own (diagnostics.ts). */
export interface DiagnosticsOptions {
  /** The rotating log files' folder (logging.ts); none when logging to stdout only. */
  logsDir?: string | null;
  crashDumpsDir?: string | null;
  /** Where the zip goes; default <dataDir>/diagnostics. */
  outputDir?: string;
  /** Runtime versions to record (Electron, Chromium, Node…). */
  runtimeVersions?: Record<string, string>;
  /** Called with the zip's path (Electron shows it in the file manager). */
  onSaved?: (file: string) => void;
}

export interface AppHandlerDeps {
  db: Knex;
  clock: Clock;
  logger: Logger;
  host: 'electron' | 'web';
  appVersion: string;
  dataDir: string;
  diagnostics?: DiagnosticsOptions;
  enrollmentInfo: () => Promise<EnrollmentInfo>;
  syncStatus: () => Promise<SyncStatus>;
}

export function appHandlers(deps: AppHandlerDeps): Pick<ConsoleHandlers, AppMethod> {
  return {
    'app.info': async () => ({
      version: deps.appVersion,
      protocolVersion: PROTOCOL_VERSION,
      host: deps.host,
    }),
    'diagnostics.save': async () => {
      const saved = await saveDiagnostics({
        db: deps.db,
        clock: deps.clock,
        logsDir: deps.diagnostics?.logsDir ?? null,
        crashDumpsDir: deps.diagnostics?.crashDumpsDir ?? null,
        outputDir: deps.diagnostics?.outputDir ?? path.join(deps.dataDir, 'diagnostics'),
        versions: {
          app: deps.appVersion,
          host: deps.host,
          protocol: PROTOCOL_VERSION,
          ...deps.diagnostics?.runtimeVersions,
        },
        enrollment: deps.enrollmentInfo,
        syncStatus: deps.syncStatus,
      });
      deps.logger.info({ file: saved.file, bytes: saved.bytes }, 'diagnostics saved');
      deps.diagnostics?.onSaved?.(saved.file);
      return saved;
    },
  };
}
