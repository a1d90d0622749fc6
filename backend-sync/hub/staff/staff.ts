/**
 * Staff of a brand. The PIN is write-only: only its salted hash is stored (and synced, so a
 * console can check a sign-in offline); the admin view leaves even the hash out.
 */
import type { Knex } from 'knex';
import { hashSecret } from '../../domain/secrets';
import { branchScope, recordChange, type Scope } from '../db/changes';
import { toStaffRow } from '../db/rows';
import { requireBrand } from '../brands/brands';
import { requireBranch } from '../brands/branches';
import { BRANCH_ROLES } from '../../domain/roles';
import {
  CreateStaffInput,
  ResetPinInput,
  StaffRoleBranch,
  UpdateStaffInput,
  type StaffView,
} from '../services/schemas';
import { alreadyExists, inTransaction, notFound, parseInput, type CatalogDeps } from '../services/common';

export function toStaffView(row: Record<string, unknown>, now?: Date): StaffView {
  const { pinHash: _pinHash, ...view } = toStaffRow(row);
  // A PIN lock at the hub (realtime/pinGuard.ts), while it lasts, for the back office to see.
  const locked = row.sign_in_locked_until == null ? null : String(row.sign_in_locked_until);
  return {
    ...view,
    createdAt: String(row.created_at),
    ...(now ? { signInLockedUntil: locked && locked > now.toISOString() ? locked : null } : {}),
  };
}

/** Brand-wide staff reach every device of the brand; branch staff only their branch's devices. */
export const staffScopes = (branchId: string | null): Scope[] => [branchId ? branchScope(branchId) : 'brand'];

export async function createStaff(
  db: Knex,
  deps: CatalogDeps,
  brandId: string,
  input: unknown,
): Promise<StaffView> {
  const data = parseInput(CreateStaffInput, input);
  // Hash before the transaction: scrypt is deliberately slow and needs no lock.
  const pinHash = hashSecret(data.pin);
  const now = deps.clock.now();
  return inTransaction(db, async (trx) => {
    await requireBrand(trx, brandId);
    const branchId = data.branchId ?? null;
    if (branchId) await requireBranch(trx, brandId, branchId);
    const clash = await trx('staff').where({ brand_id: brandId, staff_code: data.staffCode }).first();
    if (clash)
      throw alreadyExists(`Staff code ${data.staffCode} is already used in this brand.`, {
        field: 'staffCode',
      });
    const row = {
      id: deps.ids(),
      brand_id: brandId,
      branch_id: branchId,
      role: data.role,
      staff_code: data.staffCode,
      display_name: data.displayName,
      pin_hash: pinHash,
      active: true,
      created_at: now.toISOString(),
    };
    await trx('staff').insert(row);
    await recordChange(trx, {
      brandId,
      scopes: staffScopes(branchId),
      entity: 'staff',
      id: row.id,
      op: 'upsert',
      data: toStaffRow(row),
      at: now,
    });
    return toStaffView(row);
  });
}

export async function listStaff(db: Knex, deps: CatalogDeps, brandId: string): Promise<StaffView[]> {
  await requireBrand(db, brandId);
  const rows = (await db('staff as s')
    .leftJoin('pin_failures as f', 'f.staff_id', 's.id')
    .where({ 's.brand_id': brandId })
    .orderBy([{ column: 's.staff_code' }])
    .select('s.*', 'f.locked_until as sign_in_locked_until')) as Record<string, unknown>[];
  const now = deps.clock.now();
  return rows.map((row) => toStaffView(row, now));
}

export async function requireStaff(
  db: Knex,
  brandId: string,
  staffId: string,
): Promise<Record<string, unknown>> {
  const row = await db('staff').where({ id: staffId, brand_id: brandId }).first();
  if (!row) throw notFound('Staff', staffId);
  return row;
}

/**
 * Changes a staff member's name, role, branch or active flag. The row is re-recorded for the old
 * and the new scope alike: a console of the branch they left then holds the row with the new
 * branch (or active = false) and refuses their PIN, also offline.
 */
export async function updateStaff(
  db: Knex,
  deps: CatalogDeps,
  staffId: string,
  input: unknown,
): Promise<StaffView> {
  const data = parseInput(UpdateStaffInput, input);
  return writeStaff(db, deps, staffId, async (trx, row) => {
    const role = data.role ?? (row.role as CreateStaffInput['role']);
    const branchId =
      data.branchId !== undefined ? data.branchId : BRANCH_ROLES.includes(role) ? row.branch_id : null;
    parseInput(StaffRoleBranch, { role, branchId });
    if (branchId) await requireBranch(trx, String(row.brand_id), String(branchId));
    return {
      role,
      branch_id: branchId ?? null,
      ...(data.displayName !== undefined ? { display_name: data.displayName } : {}),
      ...(data.active !== undefined ? { active: data.active } : {}),
    };
  });
}

/**
 * Sets a new PIN (write-only, like at creation): consoles get the new hash with the next sync. A
 * manager resetting the PIN also lifts a PIN lock (realtime/pinGuard.ts) and its back-off, here
 * and on every till.
 */
export async function resetStaffPin(
  db: Knex,
  deps: CatalogDeps,
  staffId: string,
  input: unknown,
): Promise<StaffView> {
  const { pin } = parseInput(ResetPinInput, input);
  const pinHash = hashSecret(pin);
  return writeStaff(db, deps, staffId, async () => ({ pin_hash: pinHash }), { clearPinLock: true });
}

async function writeStaff(
  db: Knex,
  deps: CatalogDeps,
  staffId: string,
  patchOf: (trx: Knex.Transaction, row: Record<string, unknown>) => Promise<Record<string, unknown>>,
  options: { clearPinLock?: boolean } = {},
): Promise<StaffView> {
  const now = deps.clock.now();
  return inTransaction(db, async (trx) => {
    const row = await trx('staff').where({ id: staffId }).first();
    if (!row) throw notFound('Staff', staffId);
    const patch = await patchOf(trx, row);
    const next = { ...row, ...patch };
    await trx('staff').where({ id: staffId }).update(patch);
    if (options.clearPinLock)
      await trx('pin_failures')
        .where({ staff_id: staffId })
        .update({ failures: 0, locked_until: null, lock_count: 0 });
    // The till replaces its staff row with this one: it must carry the lock as it stands, or an
    // edit would tell every till the member is unlocked.
    const lock = (await trx('pin_failures').where({ staff_id: staffId }).first()) as
      Record<string, unknown> | undefined;
    const lockedUntil =
      lock?.locked_until != null && String(lock.locked_until) > now.toISOString()
        ? String(lock.locked_until)
        : null;
    const oldBranch = (row.branch_id as string | null) ?? null;
    const newBranch = (next.branch_id as string | null) ?? null;
    await recordChange(trx, {
      brandId: String(row.brand_id),
      scopes: [...staffScopes(oldBranch), ...staffScopes(newBranch)],
      entity: 'staff',
      id: staffId,
      op: 'upsert',
      data: { ...toStaffRow(next), signInLockedUntil: lockedUntil },
      at: now,
    });
    return toStaffView(next);
  });
}
