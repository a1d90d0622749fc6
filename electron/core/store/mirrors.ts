/**
 * Applies pulled changes to the local mirrors of replicated entities.
 *
 * The rule while the outbox is not empty (ARCHITECTURE, "The sync engine"): a pulled change must
 * not silently overwrite local state that a still-queued mutation depends on. Queued mutations
 * name the row they depend on in `outbox.subject` ('claim:<id>'). For a claim with a queued
 * mutation, the pulled row is stored but the local redemption fields (redeemedAt and who/where)
 * are kept when the local row has them: the cashier's confirmed redemption stays visible until
 * the hub has answered it; after that answer, the next pull brings the hub's word (applied, or a
 * conflict the console shows). Other entities are only ever changed by the hub, so they take the
 * pulled row as it is.
 *
 * A first sync applies a million claims, so a page is applied with statements prepared once per
 * connection, run on the connection that holds the page's transaction (knex built, compiled and
 * prepared each row's upsert anew: ~100 ms per 1,000 claims). The changes still go in page order,
 * one by one, each an upsert of every column or a delete, so a row changed twice in a page ends as
 * its last change says. Which claims have a queued mutation is read once per page: nothing in a
 * pull's transaction writes the outbox.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { phoneDigits } from '../../../backend-sync/domain/phone';
import { foldForSearch } from '../../../backend-sync/domain/searchText';
import type { Change, ClaimRow, PullStream } from '../../../backend-sync/protocol';
import { IS_QUEUED } from '../outbox/outbox';
import { preparedPer } from './prepared';
import { transactionConnection, type Trx } from './transaction';

type Upserted<E extends Change['entity']> = Extract<Change, { entity: E; op: 'upsert' }>['data'];

/** A mirror table: its columns and one pulled row's values for them (keyed by the change's id). */
interface Mirror<R> {
  table: string;
  columns: readonly string[];
  values(id: string, row: R): unknown[];
}

const mirrors: { [E in Exclude<Change['entity'], 'customer'>]: Mirror<Upserted<E>> } = {
  brand: {
    table: 'brand',
    columns: ['id', 'name', 'data'],
    values: (id, b) => [id, b.name, JSON.stringify(b)],
  },
  branch: {
    table: 'branches',
    columns: ['id', 'brand_id', 'name', 'code', 'data'],
    values: (id, b) => [id, b.brandId, b.name, b.code, JSON.stringify(b)],
  },
  staff: {
    table: 'staff',
    columns: ['id', 'brand_id', 'branch_id', 'staff_code', 'staff_code_key', 'active', 'data'],
    values: (id, s) => [
      id,
      s.brandId,
      s.branchId,
      s.staffCode,
      staffCodeKey(s.staffCode),
      s.active ? 1 : 0,
      JSON.stringify(s),
    ],
  },
  device: {
    table: 'devices',
    columns: ['id', 'brand_id', 'branch_id', 'name', 'data'],
    values: (id, d) => [id, d.brandId, d.branchId, d.name, JSON.stringify(d)],
  },
  coupon: {
    table: 'coupons',
    columns: ['id', 'brand_id', 'status', 'fixed_code', 'data'],
    values: (id, c) => [id, c.brandId, c.status, c.fixedCode, JSON.stringify(c)],
  },
  claim: {
    table: 'claims',
    columns: ['id', 'brand_id', 'coupon_id', 'customer_id', 'code', 'claim_token', 'redeemed_at', 'data'],
    values: (id, c) => [
      id,
      c.brandId,
      c.couponId,
      c.customerId,
      c.code,
      c.claimToken,
      c.redeemedAt,
      JSON.stringify(c),
    ],
  },
  redemption: {
    table: 'redemptions',
    columns: ['id', 'brand_id', 'claim_id', 'status', 'data'],
    values: (id, r) => [id, r.brandId, r.claimId, r.status, JSON.stringify(r)],
  },
  broadcast: {
    table: 'broadcasts',
    columns: ['id', 'staff_id', 'requested_at', 'data'],
    values: (id, b) => [id, b.staffId, b.requestedAt, JSON.stringify(b)],
  },
};

const CUSTOMER_COLUMNS = [
  'stream',
  'id',
  'channel',
  'display_name',
  'name_key',
  'phone',
  'phone_digits',
  'bound_staff_id',
  'bound_branch_id',
  'bound_at',
  'data',
] as const;

/**
 * `stream` is the pull stream the changes came in: a customer is stored once per list it is on
 * (an associate's own list and the team list are separate streams with their own deletes).
 */
export async function applyChanges(
  trx: Trx,
  changes: readonly Change[],
  stream: PullStream = 'device',
): Promise<void> {
  if (changes.length === 0) return;
  storeChanges(await transactionConnection(trx), changes, stream);
}

/**
 * applyChanges on a better-sqlite3 connection that is inside the caller's transaction (benches
 * fill a store in bulk with it, so their rows are exactly what a pull writes).
 */
export function storeChanges(
  conn: BetterSqlite3.Database,
  changes: readonly Change[],
  stream: PullStream = 'device',
): void {
  if (!conn.inTransaction) throw new Error('storeChanges needs an open transaction');
  const statements = mirrorStatements(conn);
  const queued = changes.some((c) => c.entity === 'claim') ? statements.queuedClaims() : new Set<string>();
  for (const change of changes) {
    if (change.entity === 'customer') {
      if (change.op === 'delete') statements.deleteCustomer.run(stream, change.id);
      else statements.upsertCustomer.run(customerValues(customerListRow(stream, change.data)));
    } else if (change.op === 'delete') {
      statements.of(change.entity).delete.run(change.id);
    } else if (change.entity === 'claim') {
      const local = queued.has(change.id) ? statements.claimData(change.id) : null;
      const claim = local ? keepLocalRedemption(change.data, local) : change.data;
      statements.of('claim').upsert.run(mirrors.claim.values(change.id, claim));
    } else {
      const mirror = mirrors[change.entity] as Mirror<typeof change.data>;
      statements.of(change.entity).upsert.run(mirror.values(change.id, change.data));
    }
  }
}

function customerListRow(
  stream: PullStream,
  c: Upserted<'customer'>,
): Record<(typeof CUSTOMER_COLUMNS)[number], unknown> {
  return {
    stream,
    id: c.id,
    channel: c.channel,
    display_name: c.displayName,
    name_key: foldForSearch(c.displayName),
    phone: c.phone,
    phone_digits: phoneDigits(c.phone),
    bound_staff_id: c.boundStaffId,
    bound_branch_id: c.boundBranchId,
    bound_at: c.boundAt,
    data: JSON.stringify(c),
  };
}

const customerValues = (row: ReturnType<typeof customerListRow>): unknown[] =>
  CUSTOMER_COLUMNS.map((column) => row[column]);

export const staffCodeKey = (code: string): string => code.trim().toUpperCase();

function keepLocalRedemption(pulled: ClaimRow, localData: string): ClaimRow {
  const mine = JSON.parse(localData) as ClaimRow;
  if (!mine.redeemedAt) return pulled;
  return {
    ...pulled,
    redeemedAt: mine.redeemedAt,
    redeemedBranchId: mine.redeemedBranchId,
    redeemedDeviceId: mine.redeemedDeviceId,
    redeemedStaffId: mine.redeemedStaffId,
  };
}

const CLAIM_SUBJECT = 'claim:';

interface TableStatements {
  /** Insert, or on an id conflict overwrite every column. */
  upsert: BetterSqlite3.Statement;
  delete: BetterSqlite3.Statement;
}

interface MirrorStatements {
  of(entity: keyof typeof mirrors): TableStatements;
  upsertCustomer: BetterSqlite3.Statement;
  deleteCustomer: BetterSqlite3.Statement;
  /** Ids of the claims a queued outbox mutation depends on. */
  queuedClaims(): Set<string>;
  /** The stored data of a claim, or null when it is not here. */
  claimData(id: string): string | null;
}

const upsertSql = (table: string, columns: readonly string[], key: readonly string[]): string =>
  `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})
   ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${columns
     .filter((c) => !key.includes(c))
     .map((c) => `${c} = excluded.${c}`)
     .join(', ')}`;

const mirrorStatements = preparedPer((conn): MirrorStatements => {
  const tables = new Map<keyof typeof mirrors, TableStatements>();
  const queued = conn.prepare(`SELECT subject FROM outbox WHERE ${IS_QUEUED}`).pluck();
  const claimData = conn.prepare('SELECT data FROM claims WHERE id = ?').pluck();
  const statements: MirrorStatements = {
    of(entity) {
      let s = tables.get(entity);
      if (!s) {
        const { table, columns } = mirrors[entity];
        s = {
          upsert: conn.prepare(upsertSql(table, columns, ['id'])),
          delete: conn.prepare(`DELETE FROM ${table} WHERE id = ?`),
        };
        tables.set(entity, s);
      }
      return s;
    },
    upsertCustomer: conn.prepare(upsertSql('customer_list', CUSTOMER_COLUMNS, ['stream', 'id'])),
    deleteCustomer: conn.prepare('DELETE FROM customer_list WHERE stream = ? AND id = ?'),
    queuedClaims() {
      const subjects = queued.all() as (string | null)[];
      return new Set(
        subjects.filter((s) => s?.startsWith(CLAIM_SUBJECT)).map((s) => s!.slice(CLAIM_SUBJECT.length)),
      );
    },
    claimData: (id) => (claimData.get(id) as string | undefined) ?? null,
  };
  return statements;
});
