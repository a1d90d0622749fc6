/**
 * Phone numbers as staff type them ("0912 345 678", "+886912345678", "9123 4567"), read with
 * libphonenumber-js in the brand's default region. The hub stores E.164; a WhatsApp customer's
 * wa_id is the E.164 number without its '+'.
 */
import {
  getCountryCallingCode,
  isSupportedCountry,
  parsePhoneNumberFromString,
  validatePhoneNumberLength,
  type CountryCode,
} from 'libphonenumber-js';

export const DEFAULT_PHONE_REGION = 'HK';

export const regionOf = (region: string | null | undefined): CountryCode =>
  region && isSupportedCountry(region.toUpperCase())
    ? (region.toUpperCase() as CountryCode)
    : DEFAULT_PHONE_REGION;

/** "+852" for HK. */
export const callingCodeOf = (region: string | null | undefined): string =>
  `+${getCountryCallingCode(regionOf(region))}`;

/** E.164 for a valid number (in `region` when it has no country code), else null. */
export function toE164(input: string, region: string | null | undefined): string | null {
  if (!/^[\d\s+()\-.]{1,40}$/.test(input.trim())) return null;
  const parsed = parsePhoneNumberFromString(input.trim(), regionOf(region));
  return parsed?.isValid() ? parsed.number : null;
}

/**
 * Why `toE164` refused a number, in libphonenumber's words (TOO_SHORT, TOO_LONG, INVALID_LENGTH,
 * INVALID_COUNTRY, NOT_A_NUMBER), or null when it is the right length but still no valid number.
 */
export function phoneProblem(input: string, region: string | null | undefined): string | null {
  if (!/^[\d\s+()\-.]{1,40}$/.test(input.trim())) return 'NOT_A_NUMBER';
  return validatePhoneNumberLength(input.trim(), regionOf(region)) ?? null;
}

/** "+886 912 345 678" — how lists show a stored E.164 number. */
export function formatPhone(e164: string | null): string | null {
  if (!e164) return null;
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}

/** The E.164 number's digits ("886912345678"): what a phone search matches inside. */
export const phoneDigits = (e164: string | null): string => (e164 ?? '').replace(/\D/g, '');

/**
 * What a phone search looks for among the stored E.164 digits, or null when the term is not a
 * phone number. A term that is a valid number (in the brand's region, or with its country code)
 * must match that whole number: "9123 4567" in HK is +852 9123 4567 and nothing else, even
 * though those digits also occur inside +886 912 345 678. Anything else is partial input: its
 * digits, without a trunk 0, anywhere in the number ("0912 345 678" in HK finds +886 912 345 678).
 */
export function phoneSearch(
  term: string,
  region: string | null | undefined,
): { match: 'exact' | 'contains'; digits: string } | null {
  const trimmed = term.trim();
  if (!/^\+?[\d\s()\-.]+$/.test(trimmed)) return null;
  const digits = trimmed.replace(/\D/g, '');
  if (digits.length < 3) return null;
  const parsed = parsePhoneNumberFromString(trimmed, regionOf(region));
  if (parsed?.isValid()) return { match: 'exact', digits: phoneDigits(parsed.number) };
  return { match: 'contains', digits: trimmed.startsWith('+') ? digits : digits.replace(/^0+/, '') };
}
