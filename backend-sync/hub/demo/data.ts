/**
 * The demo's fixed facts: what docs/demo.md promises. Change them together with that file.
 */
import type { Role } from '../../protocol';
import type { CreateCouponInput } from '../services/schemas';

export const DEMO_SEED = 20_261_123;
export const DEMO_BRAND_NAME = 'OMO 示範品牌';
export const DEMO_TIME_ZONE = 'Asia/Taipei';

export const DEMO_BRANCHES = [
  { code: 'TPE', name: '台北信義店' },
  { code: 'TXG', name: '台中公益店' },
] as const;
export type DemoBranchCode = (typeof DEMO_BRANCHES)[number]['code'];

/** Three unused pairing codes per branch, re-issued on every start once used. */
export const PAIRING_CODES_PER_BRANCH = 3;
export const demoPairingCode = (branchCode: string, n: number): string => `DEMO-${branchCode}${n}`;

export interface DemoStaff {
  staffCode: string;
  pin: string;
  role: Role;
  displayName: string;
  branchCode: DemoBranchCode | null;
}

export const DEMO_STAFF: readonly DemoStaff[] = [
  { staffCode: 'A001', pin: '1234', role: 'admin', displayName: '王志明', branchCode: null },
  { staffCode: 'P001', pin: '2345', role: 'supervisor', displayName: '陳淑芬', branchCode: null },
  { staffCode: 'C001', pin: '3456', role: 'cs_manager', displayName: '李美玲', branchCode: null },
  { staffCode: 'C002', pin: '4567', role: 'cs_agent', displayName: '張家豪', branchCode: null },
  { staffCode: 'M001', pin: '5678', role: 'sales_manager', displayName: '黃俊傑', branchCode: 'TPE' },
  { staffCode: 'S001', pin: '1111', role: 'sales_associate', displayName: '林小美', branchCode: 'TPE' },
  { staffCode: 'S002', pin: '2222', role: 'sales_associate', displayName: '吳建宏', branchCode: 'TPE' },
  { staffCode: 'M002', pin: '6789', role: 'sales_manager', displayName: '劉雅婷', branchCode: 'TXG' },
  { staffCode: 'S003', pin: '3333', role: 'sales_associate', displayName: '蔡宗翰', branchCode: 'TXG' },
  { staffCode: 'S004', pin: '4444', role: 'sales_associate', displayName: '鄭詩涵', branchCode: 'TXG' },
];

/** Customers are bound to these, in turn. */
export const DEMO_BINDING_STAFF = ['S001', 'S003', 'S002', 'S004', 'M001', 'M002'];
export const DEMO_CUSTOMER_COUNT = 200;

export const DEMO_VERIFICATION_CODE = '2468';

const DAY = 86_400_000;

export interface DemoCoupon {
  key: string;
  /** Built from the seed time, so "valid" stays valid for years and "expired" stays expired. */
  input: (now: Date, branchIdOf: (code: DemoBranchCode) => string) => CreateCouponInput;
  claims: number;
  /** Readable codes given to the first claims (what docs/demo.md tells people to type). */
  tryCodes: string[];
}

const at = (now: Date, days: number): string => new Date(now.getTime() + days * DAY).toISOString();
const RULES = '每張限用一次，不得與其他優惠併用。One use per coupon; cannot be combined with other offers.';
/** Valid from a day before the seed for ten years. */
const OPEN_WINDOW = (now: Date) => ({
  validityMode: 'fixed' as const,
  validFrom: at(now, -1),
  validUntil: at(now, 3650),
});

export const DEMO_COUPONS: readonly DemoCoupon[] = [
  {
    key: 'valid',
    input: (now) => ({
      name: '全店 9 折券 · 10% off storewide',
      type: 'sales',
      ...OPEN_WINDOW(now),
      usageRules: RULES,
      barcodeType: 'QR',
      status: 'published',
    }),
    claims: 300,
    tryCodes: ['TRY-VALID', 'TRY-REDEEMED'],
  },
  {
    key: 'branch_tpe',
    input: (now, branch) => ({
      name: '信義店限定 滿千折百 · NT$100 off, Xinyi only',
      type: 'sales',
      branchIds: [branch('TPE')],
      ...OPEN_WINDOW(now),
      usageRules: `限台北信義店使用。Taipei Xinyi branch only. ${RULES}`,
      barcodeType: 'CODE_128',
      redeemTag: 'xinyi-redeemed',
      status: 'published',
    }),
    claims: 150,
    tryCodes: ['TRY-XINYI'],
  },
  {
    key: 'from_claim',
    input: () => ({
      name: '會員生日禮 · Birthday gift',
      type: 'marketing',
      validityMode: 'from_claim',
      durationDays: 365,
      usageRules: `領取後 365 天內有效。Valid for 365 days from receipt. ${RULES}`,
      barcodeType: 'EAN_13',
      status: 'published',
    }),
    claims: 150,
    tryCodes: ['2000000000015'],
  },
  {
    key: 'verification',
    input: (now) => ({
      name: 'VIP 兌換券（需驗證碼）· VIP voucher, verification code',
      type: 'customer_service',
      ...OPEN_WINDOW(now),
      usageRules: `門市人員輸入驗證碼後兌換。Staff enter the verification code to redeem. ${RULES}`,
      barcodeType: 'QR',
      verificationCode: DEMO_VERIFICATION_CODE,
      status: 'published',
    }),
    claims: 100,
    tryCodes: ['TRY-VERIFY'],
  },
  {
    key: 'from_open',
    input: () => ({
      name: '開封後 7 天內有效 · 7 days from opening',
      type: 'marketing',
      validityMode: 'from_open',
      durationDays: 7,
      usageRules: `開封後 7 天內有效。Valid for 7 days once opened. ${RULES}`,
      barcodeType: 'CODE_39',
      status: 'published',
    }),
    claims: 100,
    tryCodes: ['TRY-OPEN'],
  },
  {
    key: 'not_yet_valid',
    input: (now) => ({
      name: '週年慶預購券（尚未開始）· Anniversary pre-order, not yet valid',
      type: 'marketing',
      validityMode: 'fixed',
      validFrom: at(now, 3650),
      validUntil: at(now, 3680),
      usageRules: RULES,
      barcodeType: 'QR',
      status: 'published',
    }),
    claims: 50,
    tryCodes: ['TRY-NOTYET'],
  },
  {
    key: 'expired',
    input: (now) => ({
      name: '夏季出清券（已過期）· Summer clearance, expired',
      type: 'sales',
      validityMode: 'fixed',
      validFrom: at(now, -60),
      validUntil: at(now, -30),
      usageRules: RULES,
      barcodeType: 'QR',
      status: 'published',
    }),
    claims: 50,
    tryCodes: ['TRY-EXPIRED'],
  },
  {
    key: 'draft',
    input: (now) => ({
      name: '秋季新品券（草稿）· Autumn launch, draft',
      type: 'marketing',
      ...OPEN_WINDOW(now),
      usageRules: RULES,
      status: 'draft',
    }),
    claims: 20,
    tryCodes: ['TRY-DRAFT'],
  },
  {
    key: 'fixed_code',
    input: (now) => ({
      name: '固定序號 OMO2026VIP · Fixed code',
      type: 'sales',
      ...OPEN_WINDOW(now),
      usageRules: `出示優惠券 QR 碼。Show the coupon's QR code. ${RULES}`,
      barcodeType: 'CODE_128',
      fixedCode: 'OMO2026VIP',
      status: 'published',
    }),
    claims: 80,
    tryCodes: [],
  },
];

/** The claim redeemed by the seed, so "already redeemed" can be tried. */
export const DEMO_REDEEMED = {
  code: 'TRY-REDEEMED',
  branchCode: 'TPE' as DemoBranchCode,
  staffCode: 'S001',
  hoursAgo: 2,
};

/**
 * Customers with known names and numbers (docs/demo.md), for trying search and add-by-number:
 * two of S001's, and one WhatsApp number held by S002 (same branch) to try a take-over with.
 */
export const DEMO_KNOWN_CUSTOMERS = [
  {
    channel: 'line' as const,
    channelUserId: 'U0d3m0c0575000000000000000000001',
    displayName: '王小明 Ming',
    phone: '+886912345678',
    staffCode: 'S001',
  },
  {
    channel: 'whatsapp' as const,
    channelUserId: '85291234567',
    displayName: 'Chan Tai Man 陳大文',
    phone: '+85291234567',
    staffCode: 'S001',
  },
  {
    channel: 'whatsapp' as const,
    channelUserId: '85261234567',
    displayName: 'Gigi Wong 黃芷晴',
    phone: '+85261234567',
    staffCode: 'S002',
  },
];

/** Where the demo console opens a conversation (SPEC §2.2 details). */
export const DEMO_CONVERSATION_URLS = {
  line: 'https://chat.line.biz/2000000001/chat/{userId}',
  whatsapp: 'https://wa.me/{phone}',
};
