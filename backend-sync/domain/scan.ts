/**
 * What a scanned (or typed) string is, before any lookup: a claim-token QR, a code to look up,
 * or input the till can reject at once with a specific reason.
 *
 * Claim-token QR format (docs/protocol.md): `OMO-CT1-<token>`, token = base64url of ≥ 16 random
 * bytes. The customer's coupon page shows it; it identifies one claim without its pack code.
 */
import { isValidEan13 } from './symbology';

export const CLAIM_TOKEN_PREFIX = 'OMO-CT1-';
export const MAX_SCAN_LENGTH = 128;

export type ScanProblem =
  'EMPTY' | 'TOO_LONG' | 'UNPRINTABLE' | 'EAN13_CHECK_DIGIT' | 'CLAIM_TOKEN_MALFORMED';

export type ParsedScan =
  | { kind: 'claim_token'; token: string }
  | { kind: 'code'; code: string }
  | { kind: 'invalid'; problem: ScanProblem };

export const claimTokenQr = (token: string): string => `${CLAIM_TOKEN_PREFIX}${token}`;

/** What was scanned, without the scanner's suffix key (Enter or Tab) or a paste's stray spaces. */
export const trimScan = (raw: string): string => raw.replace(/[\r\n\t]+$/g, '').trim();

export function parseScan(raw: string): ParsedScan {
  const input = trimScan(raw);
  if (input.length === 0) return { kind: 'invalid', problem: 'EMPTY' };
  if (input.length > MAX_SCAN_LENGTH) return { kind: 'invalid', problem: 'TOO_LONG' };
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(input)) return { kind: 'invalid', problem: 'UNPRINTABLE' };

  if (input.toUpperCase().startsWith(CLAIM_TOKEN_PREFIX)) {
    const token = input.slice(CLAIM_TOKEN_PREFIX.length);
    return /^[A-Za-z0-9_-]{16,}$/.test(token)
      ? { kind: 'claim_token', token }
      : { kind: 'invalid', problem: 'CLAIM_TOKEN_MALFORMED' };
  }
  // A 13-digit number is an EAN-13 read; a wrong check digit means a misread, not an unknown code.
  if (/^\d{13}$/.test(input) && !isValidEan13(input))
    return { kind: 'invalid', problem: 'EAN13_CHECK_DIGIT' };
  return { kind: 'code', code: input };
}
