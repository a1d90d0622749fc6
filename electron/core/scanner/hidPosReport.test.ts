import { describe, expect, it } from 'vitest';
import { createReportAssembler, decodeScannedDataReport } from './hidPosReport';

/** A 64-byte Scanned Data Report as a HID POS reader sends it. */
function report(data: string, symbology = ']E0', more = false): Uint8Array {
  const bytes = new Uint8Array(64);
  bytes[0] = 0x02;
  const payload = Buffer.from(data, 'utf8');
  bytes[1] = payload.length;
  bytes.set(Buffer.from(symbology, 'latin1').subarray(0, 3), 2);
  bytes.set(payload, 5);
  bytes[63] = more ? 1 : 0;
  return bytes;
}

// Recorded from the layout above: an EAN-13 read "4006381333931" with AIM id "]E0".
const RECORDED_EAN13 = Uint8Array.from([
  0x02,
  0x0d,
  0x5d,
  0x45,
  0x30,
  0x34,
  0x30,
  0x30,
  0x36,
  0x33,
  0x38,
  0x31,
  0x33,
  0x33,
  0x33,
  0x39,
  0x33,
  0x31,
  ...new Array(46).fill(0),
]);

describe('HID POS scanned data report', () => {
  it('decodes a recorded EAN-13 report with its symbology identifier', () => {
    const decoded = decodeScannedDataReport(RECORDED_EAN13);
    expect(decoded).toEqual({ symbologyId: ']E0', data: Buffer.from('4006381333931'), more: false });
  });

  it('keeps hyphens and lower case, and drops a trailing CR suffix', () => {
    const scans: string[] = [];
    const a = createReportAssembler((code) => scans.push(code));
    a.push(report('ab-12-CD\r', ']A0'));
    expect(scans).toEqual(['ab-12-CD']);
  });

  it('joins a code longer than one report', () => {
    const scans: [string, string | null][] = [];
    const a = createReportAssembler((code, sym) => scans.push([code, sym]));
    const long = 'OMO-CT1-' + 'x'.repeat(70);
    a.push(report(long.slice(0, 56), ']Q1', true));
    expect(scans).toEqual([]);
    a.push(report(long.slice(56), ']Q1', false));
    expect(scans).toEqual([[long, ']Q1']]);
  });

  it('handles readers that strip the report id byte', () => {
    const decoded = decodeScannedDataReport(report('K7PX2M9Q').subarray(1), false);
    expect(decoded).toMatchObject({ data: Buffer.from('K7PX2M9Q') });
  });

  it('rejects other reports and corrupt lengths without emitting a scan', () => {
    const scans: string[] = [];
    const a = createReportAssembler((code) => scans.push(code));
    const other = report('ABCD');
    other[0] = 0x04;
    expect(a.push(other)).toBe('NOT_SCANNED_DATA');
    const corrupt = report('ABCD');
    corrupt[1] = 200;
    expect(a.push(corrupt)).toBe('BAD_LENGTH');
    expect(a.push(Uint8Array.from([0x02, 0x05]))).toBe('TRUNCATED');
    expect(scans).toEqual([]);
  });
});
