/**
 * The console's log file: pino (the hub's logger, with the hub's redaction list) into a rotating
 * file, `<logsDir>/console.log` plus at most LOG_FILES_KEPT older ones (`console.log.1` …), each
 * up to LOG_FILE_SIZE. Main and the core write through the same logger, so one file tells a shop's
 * IT what happened in order; "save diagnostics" zips these files.
 */
import { mkdirSync } from 'node:fs';
import pino, { type Logger } from 'pino';
import { createStream } from 'rotating-file-stream';
import { LOG_REDACT_CENSOR, LOG_REDACT_PATHS } from '../../backend-sync/domain/logRedaction';

export const LOG_FILE_NAME = 'console.log';
export const LOG_FILE_SIZE = '10M';
export const LOG_FILES_KEPT = 5;

export interface ConsoleLog {
  logger: Logger;
  logsDir: string;
  /** Flushes and closes the file. */
  close(): Promise<void>;
}

/** `name` tells main and core apart in the file; `tee` copies lines to stdout (development). */
export function createConsoleLog(options: {
  logsDir: string;
  level: string;
  name: string;
  tee?: boolean;
}): ConsoleLog {
  mkdirSync(options.logsDir, { recursive: true });
  const stream = createStream(LOG_FILE_NAME, {
    path: options.logsDir,
    size: LOG_FILE_SIZE,
    rotate: LOG_FILES_KEPT,
    teeToStdout: options.tee ?? false,
  });
  const logger = pino(
    {
      name: options.name,
      level: options.level,
      redact: { paths: [...LOG_REDACT_PATHS], censor: LOG_REDACT_CENSOR },
    },
    stream,
  );
  return {
    logger,
    logsDir: options.logsDir,
    close: () =>
      new Promise((resolve) => {
        stream.end(() => resolve());
      }),
  };
}
