/** Shared by the catalog, admin API and demo tests: fixed time, readable ids, row counts. */
import type { Knex } from 'knex';
import { manualClock } from '../../domain/clock';
import type { CatalogDeps } from './common';
import { createBrand } from '../brands/brands';
import { createBranch } from '../brands/branches';

export const TEST_NOW = '2026-03-01T02:00:00.000Z';

export function testDeps(prefix = 'id'): CatalogDeps & { clock: ReturnType<typeof manualClock> } {
  let n = 0;
  return { clock: manualClock(TEST_NOW), ids: () => `${prefix}-${String(++n).padStart(4, '0')}` };
}

const TABLES = [
  'brands',
  'branches',
  'staff',
  'devices',
  'coupons',
  'claims',
  'customers',
  'binding_history',
  'redemptions',
  'changes',
] as const;

/** Row count of every catalog table, to show a rejected call wrote nothing. */
export async function countRows(db: Knex): Promise<Record<(typeof TABLES)[number], number>> {
  const counts = {} as Record<(typeof TABLES)[number], number>;
  for (const table of TABLES) {
    const row = await db(table).count({ n: '*' }).first();
    counts[table] = Number(row?.n ?? 0);
  }
  return counts;
}

/** Changes recorded for an entity id, as [scope, op] pairs. */
export async function changesOf(
  db: Knex,
  id: string,
): Promise<{ scope: string; op: string; data: unknown }[]> {
  const rows = await db('changes').where({ entity_id: id }).orderBy('seq');
  return rows.map((r: Record<string, unknown>) => ({
    scope: String(r.scope),
    op: String(r.op),
    data: r.data == null ? null : JSON.parse(String(r.data)),
  }));
}

/** A brand with two branches (TPE, TXG). */
export async function brandWithBranches(db: Knex, deps: CatalogDeps) {
  const brand = await createBrand(db, deps, { name: 'Test brand' });
  const tpe = await createBranch(db, deps, brand.id, { name: '台北信義店', code: 'TPE' });
  const txg = await createBranch(db, deps, brand.id, { name: '台中公益店', code: 'TXG' });
  return { brand, tpe, txg };
}

/** Expects the promise to reject with an AppError of this code; returns its details. */
export async function rejectsWith(promise: Promise<unknown>, code: string): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    const e = error as { code?: string; details?: Record<string, unknown> };
    if (e.code !== code) throw error;
    return e.details ?? {};
  }
  throw new Error(`expected a rejection with ${code}`);
}
