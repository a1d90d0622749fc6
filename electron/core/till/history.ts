/**
 * Redemption history: this device's own (scope 'device') or the branch's as replicated plus this
 * device's still queued ones (scope 'branch'), newest first, searchable by code or customer name.
 * The search is a literal substring: LIKE wildcards in what was typed are escaped.
 */
import type { Knex } from 'knex';
import type { RedemptionView } from '../consoleApi/contract';
import type { DeviceIdentity } from './lookups';
import { redemptionsQuery, toViews } from './views';

type Db = Knex | Knex.Transaction;

export interface HistoryFilter {
  scope: 'device' | 'branch';
  search?: string | undefined;
}

/** `%`, `_` and the escape character itself match only themselves. */
export const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

function filtered(db: Db, me: DeviceIdentity, filter: HistoryFilter): Knex.QueryBuilder {
  const q = redemptionsQuery(db);
  if (filter.scope === 'device') q.where('r.device_id', me.deviceId);
  else q.where('r.branch_id', me.branchId);
  const search = filter.search?.trim();
  if (search) {
    // SQLite's LIKE ignores ASCII case; Chinese names have no case to ignore.
    const pattern = `%${escapeLike(search)}%`;
    q.where((w) =>
      w
        .whereRaw(`r.code LIKE ? ESCAPE '\\'`, [pattern])
        .orWhereRaw(`r.scanned_code LIKE ? ESCAPE '\\'`, [pattern])
        .orWhereRaw(`r.customer_name LIKE ? ESCAPE '\\'`, [pattern]),
    );
  }
  return q;
}

export async function history(
  db: Db,
  me: DeviceIdentity,
  query: HistoryFilter & { limit: number; offset: number },
): Promise<{ items: RedemptionView[]; total: number }> {
  const counted = (await filtered(db, me, query).count({ n: '*' }).first()) as { n: number } | undefined;
  return { items: await toViews(db, historyPage(db, me, query)), total: Number(counted?.n ?? 0) };
}

/** One page, newest first: read backwards along `till_redemptions_time` (store/migrations/005). */
export const historyPage = (
  db: Db,
  me: DeviceIdentity,
  query: HistoryFilter & { limit: number; offset: number },
): Knex.QueryBuilder =>
  newestFirst(filtered(db, me, query))
    .limit(query.limit)
    .offset(query.offset);

const newestFirst = (q: Knex.QueryBuilder): Knex.QueryBuilder =>
  q.orderBy([
    { column: 'r.redeemed_at', order: 'desc' },
    { column: 'r.id', order: 'desc' },
  ]);

/** Every matching redemption, newest first (for the CSV export). */
export async function allHistory(
  db: Db,
  me: DeviceIdentity,
  filter: HistoryFilter,
): Promise<RedemptionView[]> {
  return toViews(db, newestFirst(filtered(db, me, filter)));
}
