/**
 * Codes people read, type or scan: device pairing codes and claim (pack) codes. Generated ones use
 * an alphabet without look-alikes (no 0/O, 1/I) so a code read aloud or off a receipt is typed
 * right the first time.
 */
import { ean13CheckDigit, symbologyProblem, isValidEan13 } from '../domain/symbology';
import type { BarcodeType } from '../protocol';
import { cryptoRandom, type RandomSource } from './services/common';

export const UNAMBIGUOUS_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** 32 symbols: `byte % 32` is unbiased. */
export function randomString(random: RandomSource, length: number, alphabet = UNAMBIGUOUS_ALPHABET): string {
  const bytes = random(length);
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[bytes[i]! % alphabet.length];
  return out;
}

/** Uniform digits by rejection (bytes ≥ 250 would favour 0–5). */
export function randomDigits(random: RandomSource, length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of random(length)) {
      if (byte < 250 && out.length < length) out += String(byte % 10);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Pairing codes: 8 symbols, stored and shown as `ABCD-EFGH`.

export const PAIRING_CODE_LENGTH = 8;

/**
 * The stored form of a pairing code, from whatever a person typed: upper case (as EnrollRequest
 * already does), spaces and hyphens ignored, then the hyphen put back after the fourth symbol.
 * `abcd efgh`, `ABCDEFGH` and `ABCD-EFGH` all become `ABCD-EFGH`. Enrollment must look codes up
 * through this function.
 */
export function normalizePairingCode(input: string): string {
  const bare = input.toUpperCase().replace(/[\s\-‐‑–—_]+/g, '');
  return bare.length > 4 ? `${bare.slice(0, 4)}-${bare.slice(4)}` : bare;
}

export const generatePairingCode = (random: RandomSource = cryptoRandom): string =>
  normalizePairingCode(randomString(random, PAIRING_CODE_LENGTH));

// ---------------------------------------------------------------------------------------------
// Claim codes

export const CLAIM_CODE_LENGTH = 10;

/**
 * A fresh claim code the coupon's barcode can carry: a 13-digit EAN with a valid check digit for
 * EAN_13 (prefix 2: GS1's range for in-store numbers, so it never clashes with a product), else
 * 10 unambiguous symbols (all inside the CODE_39 character set).
 */
export function generateClaimCode(barcodeType: BarcodeType, random: RandomSource = cryptoRandom): string {
  if (barcodeType === 'EAN_13') {
    const first12 = `2${randomDigits(random, 11)}`;
    return `${first12}${ean13CheckDigit(first12)}`;
  }
  return randomString(random, CLAIM_CODE_LENGTH);
}

/**
 * Why a code (claim code or a coupon's fixed code) cannot be used with this barcode type, or null.
 * Codes are printable ASCII without spaces at the ends, 4–64 long; the till reads any 13-digit
 * number as an EAN-13, so one with a wrong check digit is refused whatever the barcode type.
 */
export function codeProblem(code: string, barcodeType: BarcodeType): string | null {
  if (!/^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/.test(code)) return 'must be printable ASCII characters';
  if (code.length < 4 || code.length > 64) return 'must be 4 to 64 characters long';
  switch (symbologyProblem(code, barcodeType)) {
    case 'EAN13_FORMAT':
      return 'EAN-13 codes are exactly 13 digits';
    case 'EAN13_CHECK_DIGIT':
      return 'the EAN-13 check digit is wrong';
    case 'CODE39_CHARSET':
      return 'CODE_39 allows only A–Z, 0–9, space and - . $ / + %';
    case 'CODE128_CHARSET':
      return 'CODE_128 allows only printable ASCII';
    case null:
      break;
  }
  if (/^\d{13}$/.test(code) && !isValidEan13(code))
    return 'a 13-digit code must carry a valid EAN-13 check digit';
  return null;
}

/** Opaque token for the claim QR on the customer's coupon page: 18 random bytes, base64url. */
export const generateClaimToken = (random: RandomSource = cryptoRandom): string =>
  Buffer.from(random(18)).toString('base64url');
