/**
 * Who receives a customer (SPEC §1: the hub decides what each device and role may receive).
 * A bound customer replicates to two lists only: their associate's own ('staff:<id>', pulled by
 * that associate's session) and their branch's team list ('team:<branchId>', pulled by the branch's
 * sales managers). Unbound customers reach no console. When a customer moves, the lists they left
 * get a delete in the same transaction.
 */
import type { Knex } from 'knex';
import type { BindingHistoryRow } from '../../protocol';
import { recordChanges } from '../db/batchedChanges';
import { staffScope, teamScope, type ChangeInput, type Scope } from '../db/changes';
import { toCustomerRow } from '../db/rows';

type Row = Record<string, unknown>;

/** How many binding changes a customer row carries to consoles (newest first). */
export const HISTORY_LIMIT = 20;

export function customerScopes(row: Row): Scope[] {
  if (!row.bound_staff_id) return [];
  const scopes: Scope[] = [staffScope(String(row.bound_staff_id))];
  if (row.bound_branch_id) scopes.push(teamScope(String(row.bound_branch_id)));
  return scopes;
}

/**
 * The change rows for a customer whose binding or details changed: the full row in the lists it
 * is on now, a delete in the lists it left. `before` is null for a new customer.
 */
export function customerChanges(
  before: Row | null,
  after: Row,
  at: Date,
  history: BindingHistoryRow[],
): ChangeInput[] {
  const now = customerScopes(after);
  const left = before ? customerScopes(before).filter((s) => !now.includes(s)) : [];
  const changes: ChangeInput[] = [];
  const base = { brandId: String(after.brand_id), entity: 'customer' as const, id: String(after.id), at };
  if (now.length > 0) {
    changes.push({ ...base, scopes: now, op: 'upsert', data: { ...toCustomerRow(after), history } });
  }
  if (left.length > 0) changes.push({ ...base, scopes: left, op: 'delete' });
  return changes;
}

/** Records the customer's change rows, with its binding history read back (after the write). */
export async function recordCustomerChange(
  trx: Knex.Transaction,
  before: Row | null,
  after: Row,
  at: Date,
): Promise<void> {
  const history = await bindingHistoryOf(trx, String(after.id));
  await recordChanges(trx, customerChanges(before, after, at, history));
}

/** The customer's last binding changes, newest first, with the associates' names. */
export async function bindingHistoryOf(
  db: Knex | Knex.Transaction,
  customerId: string,
): Promise<BindingHistoryRow[]> {
  const rows = (await db('binding_history as h')
    .leftJoin('staff as f', 'f.id', 'h.from_staff_id')
    .leftJoin('staff as t', 't.id', 'h.to_staff_id')
    .where('h.customer_id', customerId)
    .orderBy('h.id', 'desc')
    .limit(HISTORY_LIMIT)
    .select(
      'h.at',
      'h.source',
      'h.from_staff_id',
      'h.to_staff_id',
      'f.display_name as from_name',
      't.display_name as to_name',
    )) as Row[];
  return rows.map((r) => ({
    at: String(r.at),
    // Admin and demo bindings read as webhook ones: the console only tells QR from phone.
    source: r.source === 'phone' ? 'phone' : 'webhook',
    fromStaffId: r.from_staff_id == null ? null : String(r.from_staff_id),
    fromStaffName: r.from_name == null ? null : String(r.from_name),
    toStaffId: r.to_staff_id == null ? null : String(r.to_staff_id),
    toStaffName: r.to_name == null ? null : String(r.to_name),
  }));
}
