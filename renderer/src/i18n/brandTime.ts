/**
 * Times on screen are the brand's: its time zone (not the PC's — a till's clock may be set to
 * anything, and the CSVs and receipts use the brand's), and for English a day-first locale
 * (en-HK) rather than the US order, for a Taiwan / Hong Kong brand. The zone comes with the
 * enrollment (stores/enrollment.ts sets it); the status bar names it.
 */
let zone: string | undefined;

export function setBrandTimeZone(timeZone: string | null | undefined): void {
  zone = timeZone && isTimeZone(timeZone) ? timeZone : undefined;
}

/** The brand's IANA zone, or undefined (the PC's) before the device knows its brand. */
export const brandTimeZone = (): string | undefined => zone;

/** The Intl locale for dates in the interface language: zh-TW, or day-first English. */
export const dateLocale = (uiLocale: string): string => (uiLocale === 'en' ? 'en-HK' : uiLocale);

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
