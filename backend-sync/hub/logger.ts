/**
 * The hub's pino logger. Secrets never reach a log line: the redaction list is the console's too
 * (backend-sync/domain/logRedaction.ts).
 */
import pino, { type Logger } from 'pino';
import { LOG_REDACT_CENSOR, LOG_REDACT_PATHS } from '../domain/logRedaction';

export function createHubLogger(level: string, options: { pretty?: boolean } = {}): Logger {
  return pino({
    name: 'hub',
    level,
    redact: { paths: [...LOG_REDACT_PATHS], censor: LOG_REDACT_CENSOR },
    ...(options.pretty
      ? {
          transport: {
            target: 'pino-pretty',
            options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' },
          },
        }
      : {}),
  });
}
