/**
 * Branches (分店) of a brand. Every device belongs to one. A closed branch keeps its history
 * (redemptions, bindings name it) but takes no new staff or devices; it closes only once nobody
 * active works there and its devices are revoked, so closing never strands a till.
 */
import type { Knex } from 'knex';
import { AppError, ErrorCode } from '../../domain/errors';
import { recordChange } from '../db/changes';
import { toBranchRow } from '../db/rows';
import { requireBrand } from './brands';
import { CreateBranchInput, UpdateBranchInput, type BranchView } from '../services/schemas';
import { alreadyExists, inTransaction, notFound, parseInput, type ServiceDeps } from '../services/common';

export const toBranchView = (row: Record<string, unknown>): BranchView => ({
  ...toBranchRow(row),
  closedAt: row.closed_at ? String(row.closed_at) : null,
  createdAt: String(row.created_at),
});

export async function createBranch(
  db: Knex,
  deps: ServiceDeps,
  brandId: string,
  input: unknown,
): Promise<BranchView> {
  const data = parseInput(CreateBranchInput, input);
  const now = deps.clock.now();
  return inTransaction(db, async (trx) => {
    await requireBrand(trx, brandId);
    const clash = await trx('branches').where({ brand_id: brandId, code: data.code }).first();
    if (clash)
      throw alreadyExists(`Branch code ${data.code} is already used in this brand.`, { field: 'code' });
    const row = {
      id: deps.ids(),
      brand_id: brandId,
      name: data.name,
      code: data.code,
      created_at: now.toISOString(),
    };
    await trx('branches').insert(row);
    await recordChange(trx, {
      brandId,
      scopes: ['brand'],
      entity: 'branch',
      id: row.id,
      op: 'upsert',
      data: toBranchRow(row),
      at: now,
    });
    return toBranchView(row);
  });
}

export async function listBranches(db: Knex, brandId: string): Promise<BranchView[]> {
  await requireBrand(db, brandId);
  const rows = await db('branches')
    .where({ brand_id: brandId })
    .orderBy([{ column: 'code' }, { column: 'id' }]);
  return rows.map(toBranchView);
}

/** The open branch's row when it belongs to the brand; NOT_FOUND, or BRANCH_CLOSED (field branchId). */
export async function requireBranch(
  db: Knex,
  brandId: string,
  branchId: string,
): Promise<Record<string, unknown>> {
  const row = await db('branches').where({ id: branchId, brand_id: brandId }).first();
  if (!row) throw notFound('Branch', branchId);
  if (row.closed_at)
    throw new AppError(ErrorCode.BRANCH_CLOSED, `Branch ${String(row.name)} is closed.`, {
      field: 'branchId',
    });
  return row;
}

/** Why the branch cannot close yet: its active staff and its devices not revoked. */
async function closeBlockers(trx: Knex.Transaction, branchId: string): Promise<AppError | null> {
  const staff = await trx('staff').where({ branch_id: branchId, active: true }).count({ n: '*' }).first();
  const devices = await trx('devices')
    .where({ branch_id: branchId })
    .whereNot({ revoked: true })
    .count({ n: '*' })
    .first();
  const activeStaff = Number(staff?.n ?? 0);
  const liveDevices = Number(devices?.n ?? 0);
  if (activeStaff === 0 && liveDevices === 0) return null;
  return new AppError(
    ErrorCode.BRANCH_NOT_EMPTY,
    `The branch still has ${activeStaff} active staff and ${liveDevices} devices not revoked: move or deactivate them and revoke the devices first.`,
    { field: 'closed', activeStaff, liveDevices },
  );
}

/** Renames, closes or reopens a branch; consoles get the new name with their next pull. */
export async function updateBranch(
  db: Knex,
  deps: ServiceDeps,
  branchId: string,
  input: unknown,
): Promise<BranchView> {
  const data = parseInput(UpdateBranchInput, input);
  const now = deps.clock.now();
  return inTransaction(db, async (trx) => {
    const row = await trx('branches').where({ id: branchId }).first();
    if (!row) throw notFound('Branch', branchId);
    const patch: Record<string, string | null> = {};
    if (data.name !== undefined) patch.name = data.name;
    if (data.closed === true && !row.closed_at) {
      const blocked = await closeBlockers(trx, branchId);
      if (blocked) throw blocked;
      patch.closed_at = now.toISOString();
    }
    if (data.closed === false) patch.closed_at = null;
    const next = { ...row, ...patch };
    if (Object.keys(patch).length > 0) await trx('branches').where({ id: branchId }).update(patch);
    await recordChange(trx, {
      brandId: String(row.brand_id),
      scopes: ['brand'],
      entity: 'branch',
      id: branchId,
      op: 'upsert',
      data: toBranchRow(next),
      at: now,
    });
    return toBranchView(next);
  });
}
