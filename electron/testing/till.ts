/**
 * Test data for till tests, written into a real console database the way a pull would (through
 * applyChanges), plus a till on top of it with a manual clock and a settable signed-in staff.
 */
import type { Knex } from 'knex';
import pino from 'pino';
import { manualClock } from '../../backend-sync/domain/clock';
import { hashSecret } from '../../backend-sync/domain/secrets';
import type {
  BranchRow,
  BrandRow,
  Change,
  ClaimRow,
  CouponRow,
  DeviceRow,
  MutationResult,
  RedemptionRow,
  StaffRow,
} from '../../backend-sync/protocol';
import type { ConsoleEventPayload, SignedInStaff } from '../core/consoleApi/contract';
import { openConsoleDb } from '../core/store/db';
import { applyChanges } from '../core/store/mirrors';
import { setMeta } from '../core/store/meta';
import { writeTransaction } from '../core/store/transaction';
import { tempDir, waitFor } from './temp';
import type { Faults } from '../core/sync/faults';
import { pullAll, pushAll } from '../core/sync/exchange';
import { createTill } from '../core/till/handlers';

export const T0 = '2026-03-10T04:00:00.000Z'; // 12:00 in Taipei
export const ME = { deviceId: 'device-a1', brandId: 'brand-1', branchId: 'branch-a' };
export const VERIFY_CODE = '2468';

let verifyHash: string | null = null;
const verificationHash = () => (verifyHash ??= hashSecret(VERIFY_CODE));

export const brand = (over: Partial<BrandRow> = {}): BrandRow => ({
  id: 'brand-1',
  name: '好茶',
  timeZone: 'Asia/Taipei',
  verifyMaxAttempts: 5,
  verifyLockSeconds: 300,
  offlineRedeemLimitHours: 72,
  ...over,
});

export const coupon = (id: string, over: Partial<CouponRow> = {}): CouponRow => ({
  id,
  brandId: 'brand-1',
  name: `Coupon ${id}`,
  type: 'sales',
  status: 'published',
  branchIds: [],
  validityMode: 'fixed',
  validFrom: '2026-02-28T16:00:00.000Z', // 1 Mar 00:00 Taipei
  validUntil: '2026-03-31T16:00:00.000Z', // 1 Apr 00:00 Taipei
  durationDays: null,
  usageRules: 'One per visit.',
  barcodeType: 'CODE_128',
  fixedCode: null,
  verificationCodeHash: null,
  redeemTag: null,
  ...over,
});

export const claim = (
  id: string,
  couponId: string,
  code: string,
  over: Partial<ClaimRow> = {},
): ClaimRow => ({
  id,
  brandId: 'brand-1',
  couponId,
  customerId: null,
  customerName: null,
  code,
  claimToken: `tok_${id}_0123456789abcdef`,
  claimedAt: '2026-03-01T02:00:00.000Z',
  openedAt: null,
  redeemedAt: null,
  redeemedBranchId: null,
  redeemedDeviceId: null,
  redeemedStaffId: null,
  ...over,
});

const staffRow = (id: string, role: StaffRow['role'], code: string, name: string): StaffRow => ({
  id,
  brandId: 'brand-1',
  branchId: 'branch-a',
  role,
  staffCode: code,
  displayName: name,
  pinHash: 'scrypt$1$1$1$AA==$AA==',
  active: true,
});

export const STAFF = {
  associate: staffRow('staff-asc', 'sales_associate', 'S01', '王小明'),
  manager: staffRow('staff-mgr', 'sales_manager', 'M01', '李經理'),
};

export const sessionOf = (s: StaffRow): SignedInStaff => ({
  id: s.id,
  staffCode: s.staffCode,
  displayName: s.displayName,
  role: s.role,
  branchId: s.branchId,
  signedInAt: T0,
  signInId: `signin-${s.id}`,
});

/** The standard till data set: every verdict has a claim. */
export function standardChanges(): Change[] {
  const branches: BranchRow[] = [
    { id: 'branch-a', brandId: 'brand-1', name: '信義店', code: 'A01' },
    { id: 'branch-b', brandId: 'brand-1', name: '板橋店', code: 'B01' },
  ];
  const devices: DeviceRow[] = [
    { id: 'device-a1', brandId: 'brand-1', branchId: 'branch-a', name: '櫃台 1' },
    { id: 'device-a2', brandId: 'brand-1', branchId: 'branch-a', name: '櫃台 2' },
  ];
  const coupons = [
    coupon('c-fixed', { name: '春季折價券' }),
    coupon('c-claim', { validityMode: 'from_claim', validFrom: null, validUntil: null, durationDays: 7 }),
    coupon('c-draft', { status: 'draft' }),
    coupon('c-b', { branchIds: ['branch-b'] }),
    coupon('c-verify', { verificationCodeHash: verificationHash() }),
    coupon('c-fixedcode', { fixedCode: 'SPRING2026', barcodeType: 'QR' }),
  ];
  const claims = [
    claim('cl-fixed', 'c-fixed', 'FX0001', { customerName: '陳美麗' }),
    claim('cl-fixed2', 'c-fixed', 'FX0002', { customerName: 'Amy Wong' }),
    claim('cl-fixed3', 'c-fixed', 'FX0003', { customerName: '50%會員' }),
    claim('cl-claim', 'c-claim', 'CC0001'),
    claim('cl-draft', 'c-draft', 'DR0001'),
    claim('cl-b', 'c-b', 'BB0001'),
    claim('cl-verify', 'c-verify', 'VF0001'),
    claim('cl-verify2', 'c-verify', 'VF0002'),
    claim('cl-coded', 'c-fixedcode', 'QR0001'),
    claim('cl-redeemed', 'c-fixed', 'RD0001', {
      redeemedAt: '2026-03-09T03:00:00.000Z',
      redeemedBranchId: 'branch-a',
      redeemedDeviceId: 'device-a2',
      redeemedStaffId: 'staff-mgr',
    }),
    // Redeemed at another branch by someone whose staff row never reaches this till.
    claim('cl-elsewhere', 'c-fixed', 'RD0002', {
      redeemedAt: '2026-03-09T04:00:00.000Z',
      redeemedBranchId: 'branch-b',
      redeemedDeviceId: 'device-b-unknown',
      redeemedStaffId: 'staff-other-branch',
      redeemedStaffName: '陳店員',
    }),
  ];
  let seq = 0;
  const up = <E extends Change['entity']>(entity: E, data: { id: string }): Change =>
    ({ seq: ++seq, entity, op: 'upsert', id: data.id, data }) as Change;
  return [
    up('brand', brand()),
    ...branches.map((b) => up('branch', b)),
    ...devices.map((d) => up('device', d)),
    up('staff', STAFF.associate),
    up('staff', STAFF.manager),
    ...coupons.map((c) => up('coupon', c)),
    ...claims.map((c) => up('claim', c)),
  ];
}

export async function seedTill(db: Knex, changes: Change[] = standardChanges()): Promise<void> {
  await writeTransaction(db, async (trx) => {
    await setMeta(trx, {
      deviceId: ME.deviceId,
      deviceName: '櫃台 1',
      brandId: ME.brandId,
      brandName: '好茶',
      branchId: ME.branchId,
      branchName: '信義店',
      locale: 'zh-TW',
    });
    await applyChanges(trx, changes);
  });
}

export async function openTillFixture(options: { faults?: Faults } = {}) {
  const tmp = tempDir('omo-till-');
  const db = await openConsoleDb({ dataDir: tmp.dir });
  await seedTill(db);
  const clock = manualClock(T0);
  let counter = 0;
  const ids = () => `0190f000-0000-7000-8000-${String(++counter).padStart(12, '0')}`;
  let staff: SignedInStaff | null = sessionOf(STAFF.associate);
  const events: ConsoleEventPayload<'till.redemptionsChanged'>[] = [];
  let nudges = 0;
  const faults = { current: options.faults ?? (() => {}) };
  const till = createTill({
    db,
    clock,
    ids,
    logger: pino({ level: 'silent' }),
    faults: (p) => faults.current(p),
    currentStaff: () => staff,
    settings: async () => ({
      locale: ((await db('meta').where({ key: 'locale' }).first('value'))?.value ?? 'zh-TW') as 'zh-TW',
    }),
    outboxChanged: () => void nudges++,
    redemptionsChanged: (p) => events.push(p),
  });
  return {
    db,
    clock,
    till,
    events,
    faults,
    nudges: () => nudges,
    signIn: (s: StaffRow | null) => {
      staff = s ? sessionOf(s) : null;
    },
    /** Runs a handler the way dispatch would (input defaults applied by the caller). */
    call: till.handlers,
    async close() {
      await db.destroy();
      tmp.remove();
    },
  };
}

export type TillFixture = Awaited<ReturnType<typeof openTillFixture>>;

export const replicated = (over: Partial<RedemptionRow> = {}): RedemptionRow => ({
  id: '0190f000-0000-7000-8000-0000000000aa',
  brandId: 'brand-1',
  claimId: 'cl-claim',
  couponId: 'c-claim',
  branchId: 'branch-a',
  deviceId: 'device-a2',
  staffId: 'staff-mgr',
  scannedCode: 'CC0001',
  deviceTime: '2026-03-05T01:00:00.000Z',
  receivedAt: '2026-03-05T01:00:01.000Z',
  status: 'applied',
  winnerId: null,
  resolution: null,
  resolvedBy: null,
  resolvedAt: null,
  ...over,
});

/** Stores pulled changes through the sync engine's own pull code, hooks included. */
export async function pullChanges(f: TillFixture, changes: Change[]): Promise<void> {
  let served = false;
  await pullAll({
    db: f.db,
    clock: f.clock,
    hooks: f.till.syncHooks,
    request: async () => {
      const page = {
        changes: served ? [] : changes,
        cursor: served ? 100 : 99,
        hasMore: false,
        remaining: 0,
      };
      served = true;
      return page;
    },
  });
}

/** Pushes the queued outbox through the sync engine's own push code; `answer` plays the hub. */
export async function pushWith(
  f: TillFixture,
  answer: (mutation: { id: string; kind: string }) => MutationResult,
): Promise<void> {
  await pushAll({
    db: f.db,
    clock: f.clock,
    hooks: f.till.syncHooks,
    request: async (_event, payload) => ({
      results: (payload as { mutations: { id: string; kind: string }[] }).mutations.map(answer),
    }),
  });
}

/** Waits for the latest `till.redemptionsChanged` to carry this count (events are emitted after a count). */
export const lastAttention = (f: TillFixture, attention: number): Promise<unknown> =>
  waitFor(
    () => f.events.at(-1)?.attention === attention,
    `till.redemptionsChanged { attention: ${attention} }`,
  );
