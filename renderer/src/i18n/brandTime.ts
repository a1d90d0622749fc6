/**
 * Times on screen are the brand's: its time zone (not the PC's — a till's clock may be set to
 * anything, and the CSVs and receipts use the brand's), and for English the brand's English
 * locale (en-HK day first by default, en-US month first, …; set in the back office) rather than
 * the PC's. zh-TW screens stay zh-TW. Both come with the enrollment and the brand row
 * (stores/enrollment.ts sets them); the status bar names the zone.
 */
let zone: string | undefined;

/** What a brand that has not said otherwise uses: day-first English, as in Hong Kong. */
export const DEFAULT_ENGLISH_LOCALE = 'en-HK';
let englishLocale = DEFAULT_ENGLISH_LOCALE;

/** The brand's locale for English dates; anything but English with a region keeps en-HK. */
export function setBrandEnglishLocale(tag: string | null | undefined): void {
  englishLocale = tag && isEnglishLocale(tag) ? tag : DEFAULT_ENGLISH_LOCALE;
}

export function setBrandTimeZone(timeZone: string | null | undefined): void {
  zone = timeZone && isTimeZone(timeZone) ? timeZone : undefined;
}

/** The brand's IANA zone, or undefined (the PC's) before the device knows its brand. */
export const brandTimeZone = (): string | undefined => zone;

/** The Intl locale for dates in the interface language: zh-TW, or the brand's English. */
export const dateLocale = (uiLocale: string): string => (uiLocale === 'en' ? englishLocale : uiLocale);

function isEnglishLocale(tag: string): boolean {
  if (!/^en-[A-Z]{2}$/.test(tag)) return false;
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([tag]).length === 1;
  } catch {
    return false;
  }
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** e.g. "Asia/Taipei (GMT+8)": which zone the times on screen are in. */
export function timeZoneLabel(uiLocale: string, at: Date = new Date()): string | null {
  if (!zone) return null;
  const offset = new Intl.DateTimeFormat(dateLocale(uiLocale), {
    timeZone: zone,
    timeZoneName: 'shortOffset',
  })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')?.value;
  return offset ? `${zone} (${offset})` : zone;
}

/** The calendar day of `at` in the brand's zone (for "today" checks). */
export const brandDay = (at: Date): string =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
