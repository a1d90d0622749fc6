/**
 * Decoding of HID POS barcode-scanner input reports (usage page 0x8C, "Scanned Data Report").
 *
 * Layout used by the common HID POS scanners (Honeywell, Zebra/Symbol, Datalogic in "HID POS"
 * mode), 64-byte report with id 0x02:
 *   [0]      report id (0x02)
 *   [1]      number of data bytes in this report (0–56)
 *   [2..4]   AIM symbology identifier, e.g. "]E0" (EAN-13), "]A0" (CODE 39), "]C0" (CODE 128),
 *            "]Q1" (QR); zero bytes when the reader sends none
 *   [5..60]  data bytes
 *   [63]     bit 0 set: more data follows in the next report (codes longer than 56 bytes)
 * Readers that leave out the report id byte (hidapi on some platforms strips it when the device
 * has a single report) are handled by `reportIdIncluded: false`.
 */

export const HID_POS_USAGE_PAGE = 0x8c;
export const SCANNED_DATA_REPORT_ID = 0x02;
const DATA_OFFSET = 5;
const MAX_DATA = 56;

export interface DecodedReport {
  symbologyId: string | null;
  data: Buffer;
  more: boolean;
}

export type ReportProblem = 'NOT_SCANNED_DATA' | 'TRUNCATED' | 'BAD_LENGTH';

export function decodeScannedDataReport(
  raw: Uint8Array,
  reportIdIncluded = true,
): DecodedReport | { problem: ReportProblem } {
  const report = reportIdIncluded ? raw : Uint8Array.from([SCANNED_DATA_REPORT_ID, ...raw]);
  if (report[0] !== SCANNED_DATA_REPORT_ID) return { problem: 'NOT_SCANNED_DATA' };
  if (report.length < DATA_OFFSET) return { problem: 'TRUNCATED' };
  const length = report[1]!;
  if (length > MAX_DATA) return { problem: 'BAD_LENGTH' };
  if (report.length < DATA_OFFSET + length) return { problem: 'TRUNCATED' };
  const sym = Buffer.from(report.subarray(2, 5));
  const symbologyId = sym.every((b) => b === 0) ? null : sym.toString('latin1').replace(/\0+$/, '');
  const more = report.length >= 64 ? (report[63]! & 0x01) === 1 : false;
  return { symbologyId, data: Buffer.from(report.subarray(DATA_OFFSET, DATA_OFFSET + length)), more };
}

/** Joins continued reports into whole scans. */
export function createReportAssembler(onScan: (code: string, symbologyId: string | null) => void) {
  let parts: Buffer[] = [];
  let symbology: string | null = null;
  return {
    push(raw: Uint8Array, reportIdIncluded = true): ReportProblem | null {
      const decoded = decodeScannedDataReport(raw, reportIdIncluded);
      if ('problem' in decoded) {
        parts = [];
        return decoded.problem;
      }
      if (parts.length === 0) symbology = decoded.symbologyId;
      parts.push(decoded.data);
      if (!decoded.more) {
        // Codes are bytes; UTF-8 covers ASCII codes and QR payloads alike. Trailing CR/LF
        // (some readers append a suffix in HID mode too) is not part of the code.
        const code = Buffer.concat(parts)
          .toString('utf8')
          .replace(/[\r\n]+$/, '');
        parts = [];
        if (code.length > 0) onScan(code, symbology);
      }
      return null;
    },
    reset() {
      parts = [];
    },
  };
}
