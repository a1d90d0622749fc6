/**
 * The hub's pino logger. Secrets never reach a log line: request headers that carry credentials
 * and any field named like a token, PIN or code are redacted wherever they appear.
 */
import pino, { type Logger } from 'pino';

const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.deviceToken',
  '*.token',
  '*.pin',
  '*.pairingCode',
  '*.adminToken',
  'deviceToken',
  'token',
  'pin',
  'pairingCode',
  'adminToken',
  // channels (LINE / WhatsApp): secrets and access tokens, wherever they appear
  ...['channelSecret', 'accessToken', 'appSecret', 'verifyToken', 'channelAccessToken'].flatMap((f) => [
    f,
    `*.${f}`,
  ]),
  'req.headers["x-line-signature"]',
  'req.headers["x-hub-signature-256"]',
];

export function createHubLogger(level: string, options: { pretty?: boolean } = {}): Logger {
  return pino({
    name: 'hub',
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
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
