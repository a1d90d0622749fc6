/** History as CSV for Excel (csv/index.ts: BOM, formulas defused, codes kept as text), headers in the console's language, times in the brand's zone. */
import type { Locale, RedemptionView } from '../consoleApi/contract';
import { csvTime, exportFilename, writeCsv, type CsvColumn } from '../../../backend-sync/domain/csv';

const STATES: Record<Locale, Record<RedemptionView['syncState'], string>> = {
  'zh-TW': { queued: '待同步', synced: '已同步', conflict: '衝突', rejected: '已拒絕' },
  en: { queued: 'Queued', synced: 'Synced', conflict: 'Conflict', rejected: 'Rejected' },
};

const RESOLUTIONS: Record<Locale, Record<'acknowledged' | 'voided', string>> = {
  'zh-TW': { acknowledged: '已確認', voided: '已作廢' },
  en: { acknowledged: 'Acknowledged', voided: 'Voided' },
};

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

function columns(locale: Locale, timeZone: string): CsvColumn<RedemptionView>[] {
  const [at, code, coupon, customer, branch, device, staff, state, resolution] = HEADERS[locale] as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  return [
    { header: at, value: (v) => csvTime(v.redeemedAt, timeZone) },
    { header: code, kind: 'identifier', value: (v) => v.code },
    { header: coupon, value: (v) => v.couponName },
    { header: customer, value: (v) => v.customerName },
    { header: branch, value: (v) => v.branchName },
    { header: device, value: (v) => v.deviceName },
    { header: staff, value: (v) => v.staffName },
    { header: state, value: (v) => STATES[locale][v.syncState] },
    {
      header: resolution,
      value: (v) => (v.conflict?.resolution ? RESOLUTIONS[locale][v.conflict.resolution] : ''),
    },
  ];
}

export function redemptionsCsv(views: RedemptionView[], locale: Locale, timeZone: string): string {
  return writeCsv(columns(locale, timeZone), views);
}

/** e.g. redemptions-TPE01-2026-03-01.csv: the branch code and the brand-local date. */
export const csvFilename = (branchCode: string, now: Date, timeZone: string): string =>
  exportFilename(['redemptions', branchCode || 'branch'], now, timeZone);
