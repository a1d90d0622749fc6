/**
 * The one CSV writer of every export — the console's (till history, customer lists) and the back
 * office's (audit log) — made for Excel, which is what a shop and a head office open them with:
 *  - UTF-8 with a byte-order mark (without it Excel reads the local ANSI code page and Chinese
 *    turns into mojibake), CRLF line ends, RFC 4180 quoting (csv-stringify);
 *  - free text (names, coupon and branch names) cannot run as a formula: a cell starting with
 *    = + - @ (or their full-width forms), a tab or a carriage return, after any leading spaces, gets
 *    a leading apostrophe (OWASP "CSV injection") — `=HYPERLINK(…)` as a customer name stays text;
 *  - identifiers (coupon codes, EAN-13 codes, phone numbers) are kept as text: Excel would turn
 *    `2000000000015` into 2E+12 and `+886 912 345 678` into a formula or a number, so those are
 *    written as the text formula `="…"`, which Excel, LibreOffice and Google Sheets all show as
 *    the exact characters (the value is a string literal, quotes doubled: nothing in it runs).
 */
import { stringify } from 'csv-stringify/sync';
import { DateTime } from 'luxon';

export const BOM = '\ufeff';

/** How a column's cells are written: free text (defused) or an identifier kept verbatim as text. */
export type CsvColumnKind = 'text' | 'identifier';

export interface CsvColumn<Row> {
  header: string;
  kind?: CsvColumnKind;
  value: (row: Row) => string | null | undefined;
}

/** Characters that make a spreadsheet read a cell as a formula when it starts with one. */
const FORMULA_START = /^\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|^[\t\r]/;

/** Free text a spreadsheet would read as a formula gets a leading apostrophe. */
export function defuseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * Text Excel would change on opening: numbers (leading zeros and digits past 15 lost, long ones
 * shown as 2E+12), phone-like strings with + - ( ) and spaces, and anything formula-like.
 */
const EXCEL_WOULD_CONVERT = /^[\s+\-(]*\d[\d\s\-().,/:]*$|^[\d.]+[eE][+-]?\d+$/;

/** An identifier Excel shows exactly as written. */
export function keepAsText(text: string): string {
  if (text === '') return text;
  if (EXCEL_WOULD_CONVERT.test(text) || FORMULA_START.test(text)) return `="${text.replaceAll('"', '""')}"`;
  return text;
}

export function writeCsv<Row>(columns: readonly CsvColumn<Row>[], rows: readonly Row[]): string {
  const records = rows.map((row) =>
    columns.map((column) => {
      const value = column.value(row) ?? '';
      return column.kind === 'identifier' ? keepAsText(value) : defuseFormula(value);
    }),
  );
  return (
    BOM +
    stringify([columns.map((c) => defuseFormula(c.header)), ...records], { record_delimiter: 'windows' })
  );
}

/** Times in exports: the brand's zone, one format (sortable, and Excel reads it as a date). */
export const csvTime = (iso: string, timeZone: string): string =>
  DateTime.fromISO(iso, { zone: timeZone }).toFormat('yyyy-MM-dd HH:mm:ss');

/**
 * Every export's file name: its parts (file-name safe) and the brand-local date, one format —
 * e.g. `redemptions-TPE-2026-03-10.csv`, `customers-mine-2026-03-10.csv`.
 */
export function exportFilename(parts: readonly string[], now: Date, timeZone: string): string {
  const safe = parts.map((p) => p.replace(/[^A-Za-z0-9_-]+/g, '')).filter(Boolean);
  const day = DateTime.fromJSDate(now, { zone: timeZone }).toFormat('yyyy-MM-dd');
  return `${[...safe, day].join('-')}.csv`;
}
