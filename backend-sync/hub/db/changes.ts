/**
 * The change log devices pull from. Every write to a replicated entity records its change here,
 * in the same transaction as the write, so a device can never see a row without its change or
 * a change without its row.
 */
import type { Knex } from 'knex';
import type { EntityName } from '../../protocol';

/**
 * 'brand' reaches every device of the brand; 'branch:<id>' only that branch's devices. The two
 * list scopes reach staff sessions, not devices: 'staff:<id>' that associate's own customers and
 * broadcasts, 'team:<branchId>' the branch's customers for its sales managers (customers/).
 */
export type Scope = 'brand' | `branch:${string}` | `staff:${string}` | `team:${string}`;

export const branchScope = (branchId: string): Scope => `branch:${branchId}`;
export const staffScope = (staffId: string): Scope => `staff:${staffId}`;
export const teamScope = (branchId: string): Scope => `team:${branchId}`;

/**
 * Coupons and their claims reach every device of the brand, whatever branches the coupon applies
 * to: a customer may bring a coupon to any branch, and the till there must answer "not valid at
 * this branch — valid at …", not "unknown code".
 */
export const couponScopes = (): Scope[] => ['brand'];

/** Scopes for something visible to the given branches (empty list = the whole brand). */
export const scopesForBranches = (branchIds: readonly string[]): Scope[] =>
  branchIds.length === 0 ? ['brand'] : branchIds.map(branchScope);

export interface ChangeInput {
  brandId: string;
  scopes: readonly Scope[];
  entity: EntityName;
  id: string;
  op: 'upsert' | 'delete';
  /** The full replicated row (protocol shape) for an upsert. */
  data?: unknown;
  at: Date;
}

/** The change rows of one change: one per scope (a row visible to several branches is written once per branch). */
export function changeRows(change: ChangeInput) {
  return [...new Set(change.scopes)].map((scope) => ({
    brand_id: change.brandId,
    scope,
    entity: change.entity,
    entity_id: change.id,
    op: change.op,
    data: change.op === 'upsert' ? JSON.stringify(change.data) : null,
    created_at: change.at.toISOString(),
  }));
}

export async function recordChange(trx: Knex.Transaction | Knex, change: ChangeInput): Promise<void> {
  const rows = changeRows(change);
  if (rows.length > 0) await trx('changes').insert(rows);
}

/** Rows per insert: well under SQLite's 32,766 and PostgreSQL's 65,535 bind parameters. */
const ROWS_PER_INSERT = 500;

/** `recordChange` for many changes (bulk writes: the demo seed, bulk claims), a few inserts in all. */
export async function recordChanges(trx: Knex.Transaction, changes: readonly ChangeInput[]): Promise<void> {
  const rows = changes.flatMap(changeRows);
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    await trx('changes').insert(rows.slice(i, i + ROWS_PER_INSERT));
  }
}
