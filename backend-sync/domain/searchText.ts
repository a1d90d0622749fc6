/**
 * How names are compared in searches: NFKC (full-width letters and digits become ASCII, so "Ｃｈａｎ"
 * finds "Chan") and lower case. Chinese characters are unchanged.
 */
export const foldForSearch = (text: string): string => text.normalize('NFKC').toLowerCase();
