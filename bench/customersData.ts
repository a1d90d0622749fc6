/**
 * The bound customers of one large branch, as the hub holds them: 100,000 customers made by the
 * demo's generators (Taiwanese names on LINE with TW mobiles, Hong Kong and English names on
 * WhatsApp with HK mobiles, some the other way round), bound to the branch's sales manager and
 * associates, with binding times spread over a year. Deterministic: the same rows every run.
 * Both customers benches start from these rows: the search bench writes them into a console
 * store as the pull would, the first-sync bench into a hub.
 */
import { demoCustomers } from '../backend-sync/hub/demo/people';
import { seededPrng } from '../backend-sync/domain/prng';
import type { BindingHistoryRow, CustomerRow } from '../backend-sync/protocol';
import { toCustomerRow } from '../backend-sync/hub/db/rows';

export const BENCH_BRAND = { id: 'brand-cust-bench', name: 'Bench Tea' };
export const BENCH_BRANCH = { id: 'branch-cust-bench', name: 'Causeway Bay', code: 'CWB' };
export const BENCH_MANAGER = {
  id: 'staff-cust-mgr',
  staffCode: 'M100',
  pin: '1357',
  displayName: 'Manager Wong',
};
export const BENCH_ASSOCIATES = 20;

export interface BenchStaff {
  id: string;
  staffCode: string;
  displayName: string;
  role: 'sales_manager' | 'sales_associate';
}

/** The manager first, then the associates: every one of them has customers. */
export function benchStaff(): BenchStaff[] {
  return [
    { ...BENCH_MANAGER, role: 'sales_manager' },
    ...Array.from({ length: BENCH_ASSOCIATES }, (_, i) => ({
      id: `staff-cust-${String(i + 1).padStart(2, '0')}`,
      staffCode: `A${String(i + 101)}`,
      displayName: `Associate ${i + 1}`,
      role: 'sales_associate' as const,
    })),
  ];
}

/** A customer as a row of the hub's `customers` table, and its one binding (the first). */
export interface BenchCustomer {
  row: {
    id: string;
    brand_id: string;
    channel: 'line' | 'whatsapp';
    channel_user_id: string;
    display_name: string;
    phone: string | null;
    avatar_url: string | null;
    bound_staff_id: string;
    bound_branch_id: string;
    bound_at: string;
    created_at: string;
  };
  history: BindingHistoryRow[];
}

const YEAR_MS = 365 * 86_400_000;

/**
 * An id shaped like the hub's (UUIDv7: time first, so ids made later sort later), from a time and
 * a counter: deterministic, and in the order rows were made, as the hub's indexes see them.
 */
export function timeOrderedId(ms: number, n: number): string {
  const time = ms.toString(16).padStart(12, '0');
  const count = n.toString(16).padStart(18, '0');
  return `${time.slice(0, 8)}-${time.slice(8)}-7${count.slice(0, 3)}-8${count.slice(3, 6)}-${count.slice(6)}`;
}

export function benchCustomers(count: number, now: Date): BenchCustomer[] {
  const prng = seededPrng(20_260_301);
  const staff = benchStaff();
  const names = new Map(staff.map((s) => [s.id, s.displayName]));
  return demoCustomers(
    prng,
    count,
    staff.map((s) => s.id),
  ).map((c, i) => {
    const boundAt = new Date(now.getTime() - Math.floor(prng.next() * YEAR_MS)).toISOString();
    const staffId = c.boundStaffId!;
    return {
      row: {
        id: timeOrderedId(now.getTime() - YEAR_MS, i),
        brand_id: BENCH_BRAND.id,
        channel: c.channel,
        channel_user_id: c.channelUserId,
        display_name: c.displayName,
        phone: c.phone ?? null,
        // Most LINE profiles have a picture; WhatsApp gives none.
        avatar_url:
          c.channel === 'line' ? `https://profile.line-scdn.net/0h${c.channelUserId.slice(1, 24)}` : null,
        bound_staff_id: staffId,
        bound_branch_id: BENCH_BRANCH.id,
        bound_at: boundAt,
        created_at: boundAt,
      },
      history: [
        {
          at: boundAt,
          source: 'webhook',
          fromStaffId: null,
          fromStaffName: null,
          toStaffId: staffId,
          toStaffName: names.get(staffId) ?? null,
        },
      ],
    };
  });
}

/** The replicated row a console pulls for this customer (hub/customers/replication.ts). */
export const pulledCustomer = (c: BenchCustomer): CustomerRow => ({
  ...toCustomerRow(c.row),
  history: c.history,
});
