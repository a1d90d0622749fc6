/**
 * Barcode symbology rules shared by the hub (when a coupon or code is created) and the till
 * (when a code is scanned): EAN-13 check digits and the CODE_39 character set.
 */
import type { BarcodeType } from '../protocol';

/** GS1 check digit: weights 1,3,1,3… from the left over the first 12 digits. */
export function ean13CheckDigit(first12: string): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10;
}

export const isValidEan13 = (code: string): boolean =>
  /^\d{13}$/.test(code) && ean13CheckDigit(code.slice(0, 12)) === Number(code[12]);

/** CODE_39 encodes upper-case letters, digits, space and - . $ / + % (the * is the start/stop). */
export const isValidCode39 = (code: string): boolean => /^[0-9A-Z \-.$/+%]+$/.test(code);

/** CODE_128 (sets A–C) covers printable ASCII. */
export const isValidCode128 = (code: string): boolean => /^[\x20-\x7e]+$/.test(code);

export type SymbologyProblem = 'EAN13_CHECK_DIGIT' | 'EAN13_FORMAT' | 'CODE39_CHARSET' | 'CODE128_CHARSET';

/** Why a code cannot be printed in the coupon's symbology, or null when it can. */
export function symbologyProblem(code: string, type: BarcodeType): SymbologyProblem | null {
  switch (type) {
    case 'EAN_13':
      if (!/^\d{13}$/.test(code)) return 'EAN13_FORMAT';
      return isValidEan13(code) ? null : 'EAN13_CHECK_DIGIT';
    case 'CODE_39':
      return isValidCode39(code) ? null : 'CODE39_CHARSET';
    case 'CODE_128':
      return isValidCode128(code) ? null : 'CODE128_CHARSET';
    case 'QR':
    case 'NONE':
      return null;
  }
}
