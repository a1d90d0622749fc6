/**
 * What never reaches a log line, on the hub and on the console alike (pino `redact` paths): request
 * headers that carry credentials, and any field named like a token, PIN, pairing code or channel
 * secret, at the top level or one level down.
 */
const SECRET_FIELDS = [
  'deviceToken',
  'sealedDeviceToken',
  'sessionToken',
  'token',
  'pin',
  'pairingCode',
  'adminToken',
  // channels (LINE / WhatsApp): secrets and access tokens
  'channelSecret',
  'accessToken',
  'appSecret',
  'verifyToken',
  'channelAccessToken',
];

export const LOG_REDACT_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-line-signature"]',
  'req.headers["x-hub-signature-256"]',
  ...SECRET_FIELDS.flatMap((f) => [f, `*.${f}`]),
];

export const LOG_REDACT_CENSOR = '[redacted]';
