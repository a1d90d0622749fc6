/** The customer list being viewed, as CSV for Excel (csv/index.ts: the one writer of every export). */
import type { BoundCustomer, Locale } from '../consoleApi/contract';
import { csvTime, writeCsv, type CsvColumn } from '../../../backend-sync/domain/csv';

const HEADERS: Record<Locale, string[]> = {
  'zh-TW': ['姓名', '管道', '電話', '綁定分店', '綁定人員', '綁定時間'],
  en: ['Name', 'Channel', 'Phone', 'Bound branch', 'Bound to', 'Bound at'],
};

const CHANNELS: Record<BoundCustomer['channel'], string> = { line: 'LINE', whatsapp: 'WhatsApp' };

const ROLES: Record<Locale, Record<string, string>> = {
  'zh-TW': { sales_manager: '銷售經理', sales_associate: '銷售人員' },
  en: { sales_manager: 'Sales manager', sales_associate: 'Sales associate' },
};

function boundTo(c: BoundCustomer, locale: Locale): string {
  if (!c.boundStaff) return '';
  const role = c.boundStaff.role ? `${ROLES[locale][c.boundStaff.role] ?? c.boundStaff.role} - ` : '';
  return `${role}${c.boundStaff.displayName}`;
}

export function customersCsv(customers: BoundCustomer[], locale: Locale, timeZone: string): string {
  const [name, channel, phone, branch, staff, at] = HEADERS[locale] as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const columns: CsvColumn<BoundCustomer>[] = [
    { header: name, value: (c) => c.displayName },
    { header: channel, value: (c) => CHANNELS[c.channel] },
    { header: phone, kind: 'identifier', value: (c) => c.phone },
    { header: branch, value: (c) => c.boundBranchName },
    { header: staff, value: (c) => boundTo(c, locale) },
    { header: at, value: (c) => (c.boundAt ? csvTime(c.boundAt, timeZone) : '') },
  ];
  return writeCsv(columns, customers);
}
