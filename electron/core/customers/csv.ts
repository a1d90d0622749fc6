/** The customer list being viewed, as CSV for Excel (UTF-8 with BOM, like the till's history). */
import { stringify } from 'csv-stringify/sync';
import { DateTime } from 'luxon';
import type { BoundCustomer, Locale } from '../api/contract';
import { BOM } from '../till/csv';

const HEADERS: Record<Locale, string[]> = {
  'zh-TW': ['姓名', '管道', '電話', '綁定分店', '綁定人員', '綁定時間'],
  en: ['Name', 'Channel', 'Phone', 'Bound branch', 'Bound to', 'Bound at'],
};

const CHANNELS: Record<Locale, Record<BoundCustomer['channel'], string>> = {
  'zh-TW': { line: 'LINE', whatsapp: 'WhatsApp' },
  en: { line: 'LINE', whatsapp: 'WhatsApp' },
};

const ROLES: Record<Locale, Record<string, string>> = {
  'zh-TW': { sales_manager: '銷售經理', sales_associate: '銷售人員' },
  en: { sales_manager: 'Sales manager', sales_associate: 'Sales associate' },
};

export function customersCsv(customers: BoundCustomer[], locale: Locale, timeZone: string): string {
  const rows = customers.map((c) => [
    // A name starting with = + - @ would run as a formula in Excel: prefix it with '.
    excelSafe(c.displayName),
    CHANNELS[locale][c.channel],
    c.phone ?? '',
    excelSafe(c.boundBranchName ?? ''),
    c.boundStaff
      ? excelSafe(
          `${c.boundStaff.role ? `${ROLES[locale][c.boundStaff.role] ?? c.boundStaff.role} - ` : ''}${c.boundStaff.displayName}`,
        )
      : '',
    c.boundAt ? DateTime.fromISO(c.boundAt, { zone: timeZone }).toFormat('yyyy-MM-dd HH:mm') : '',
  ]);
  return BOM + stringify([HEADERS[locale], ...rows], { record_delimiter: 'windows' });
}

const excelSafe = (text: string): string => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);
