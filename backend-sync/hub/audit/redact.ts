/**
 * Secrets never reach the audit log: any field whose name says it holds one (PIN, password,
 * token, secret, pairing or verification code) is replaced by a marker, at any depth.
 */
const SECRET_KEY = /pin$|^pin|password|secret|token|pairingcode|verificationcode/i;
export const REDACTED = '[redacted]';

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 20 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [
      k,
      SECRET_KEY.test(k) && v !== null && typeof v !== 'boolean' ? REDACTED : redact(v, depth + 1),
    ]),
  );
}
