/**
 * History as CSV for Excel: UTF-8 with a byte-order mark (without it Excel reads the file as the
 * local ANSI code page and Chinese turns into mojibake), a header row in the console's language,
 * times in the brand's time zone.
 */
import { stringify } from 'csv-stringify/sync';
import { DateTime } from 'luxon';
import type { Locale, RedemptionView } from '../api/contract';

const HEADERS: Record<Locale, string[]> = {
  'zh-TW': ['兌換時間', '序號', '優惠券', '顧客', '分店', '裝置', '人員', '同步狀態', '衝突處理'],
  en: [
    'Redeemed at',
    'Code',
    'Coupon',
    'Customer',
    'Branch',
    'Device',
    'Staff',
    'Sync state',
    'Conflict resolution',
  ],
};

const STATES: Record<Locale, Record<RedemptionView['syncState'], string>> = {
  'zh-TW': { queued: '待同步', synced: '已同步', conflict: '衝突', rejected: '已拒絕' },
  en: { queued: 'Queued', synced: 'Synced', conflict: 'Conflict', rejected: 'Rejected' },
};

const RESOLUTIONS: Record<Locale, Record<'acknowledged' | 'voided', string>> = {
  'zh-TW': { acknowledged: '已確認', voided: '已作廢' },
  en: { acknowledged: 'Acknowledged', voided: 'Voided' },
};

export const BOM = '\ufeff';

export function redemptionsCsv(views: RedemptionView[], locale: Locale, timeZone: string): string {
  const rows = views.map((v) => [
    DateTime.fromISO(v.redeemedAt, { zone: timeZone }).toFormat('yyyy-MM-dd HH:mm:ss'),
    v.code,
    v.couponName,
    v.customerName ?? '',
    v.branchName ?? '',
    v.deviceName ?? '',
    v.staffName ?? '',
    STATES[locale][v.syncState],
    v.conflict?.resolution ? RESOLUTIONS[locale][v.conflict.resolution] : '',
  ]);
  return BOM + stringify([HEADERS[locale], ...rows], { record_delimiter: 'windows' });
}

/** e.g. redemptions-TPE01-20260301.csv: the branch code (file-name safe) and the local date. */
export function csvFilename(branchCode: string, now: Date, timeZone: string): string {
  const safe = branchCode.replace(/[^A-Za-z0-9_-]+/g, '') || 'branch';
  return `redemptions-${safe}-${DateTime.fromJSDate(now, { zone: timeZone }).toFormat('yyyyMMdd')}.csv`;
}
