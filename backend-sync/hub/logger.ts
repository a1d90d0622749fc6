/**
 * The hub's pino logger. Secrets never reach a log line: the redaction list is the console's too
 * (backend-sync/domain/logRedaction.ts), and a request is logged without its query string, which
 * can carry one (WhatsApp's webhook handshake sends the channel's `hub.verify_token` there).
 */
import pino, { type DestinationStream, type Logger } from 'pino';
import { LOG_REDACT_CENSOR, LOG_REDACT_PATHS } from '../domain/logRedaction';

interface LoggedRequest {
  method: string;
  url: string;
  host?: string;
  ip?: string;
}

/** Replaces fastify's request serializer, which logs `req.url` with its query string. */
export const requestSerializer = (req: LoggedRequest) => ({
  method: req.method,
  url: req.url.split('?')[0],
  host: req.host,
  remoteAddress: req.ip,
});

export function createHubLogger(
  level: string,
  options: { pretty?: boolean; destination?: DestinationStream } = {},
): Logger {
  const settings: pino.LoggerOptions = {
    name: 'hub',
    level,
    redact: { paths: [...LOG_REDACT_PATHS], censor: LOG_REDACT_CENSOR },
    serializers: { req: requestSerializer },
    ...(options.pretty
      ? {
          transport: {
            target: 'pino-pretty',
            options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' },
          },
        }
      : {}),
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}
