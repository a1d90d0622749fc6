/**
 * Back-office accounts of a brand: create, list, change (role, branch, name, password, active).
 * The password is write-only (an argon2id hash is all that is stored); deactivating an account or
 * changing its password ends its sessions in the same transaction.
 */
import type { Knex } from 'knex';
import { z } from 'zod';
import { requireBrand } from '../brands/brands';
import { requireBranch } from '../brands/branches';
import { alreadyExists, inTransaction, notFound, parseInput, type CatalogDeps } from '../services/common';
import { isoDateTime } from '../../protocol';
import { hashPassword, Password } from './passwords';
import { AdminRole } from './roles';

const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(200)
  .pipe(z.email({ message: 'must be an email address' }));
const displayName = z.string().trim().min(1).max(50);
const branchId = z.string().trim().min(1).max(100).nullable().optional();

function branchRule(
  v: { role?: AdminRole | undefined; branchId?: string | null | undefined },
  ctx: z.RefinementCtx,
) {
  if (v.role === undefined) return;
  if (v.role === 'sales_manager' && !v.branchId)
    ctx.addIssue({
      code: 'custom',
      path: ['branchId'],
      message: 'a sales_manager reads one branch: pick it',
    });
  if (v.role !== 'sales_manager' && v.branchId)
    ctx.addIssue({
      code: 'custom',
      path: ['branchId'],
      message: `a ${v.role} is brand-wide and has no branch`,
    });
}

export const CreateAdminUserInput = z
  .strictObject({ email, displayName, role: AdminRole, branchId, password: Password })
  .superRefine(branchRule);
export type CreateAdminUserInput = z.input<typeof CreateAdminUserInput>;

export const UpdateAdminUserInput = z
  .strictObject({
    displayName: displayName.optional(),
    role: AdminRole.optional(),
    branchId,
    password: Password.optional(),
    active: z.boolean().optional(),
  })
  .superRefine(branchRule);

export const AdminUserView = z.object({
  id: z.string(),
  brandId: z.string(),
  email: z.string(),
  displayName: z.string(),
  role: AdminRole,
  branchId: z.string().nullable(),
  active: z.boolean(),
  lockedUntil: isoDateTime.nullable(),
  createdAt: isoDateTime,
});
export type AdminUserView = z.infer<typeof AdminUserView>;

const bool = (v: unknown): boolean => v === true || v === 1 || v === '1';

export const toAdminUserView = (row: Record<string, unknown>): AdminUserView => ({
  id: String(row.id),
  brandId: String(row.brand_id),
  email: String(row.email),
  displayName: String(row.display_name),
  role: AdminRole.parse(row.role),
  branchId: row.branch_id ? String(row.branch_id) : null,
  active: bool(row.active),
  lockedUntil: row.locked_until ? String(row.locked_until) : null,
  createdAt: String(row.created_at),
});

export async function createAdminUser(
  db: Knex,
  deps: CatalogDeps,
  brandId: string,
  input: unknown,
): Promise<AdminUserView> {
  const data = parseInput(CreateAdminUserInput, input);
  const passwordHash = await hashPassword(data.password);
  const now = deps.clock.now().toISOString();
  return inTransaction(db, async (trx) => {
    await requireBrand(trx, brandId);
    if (data.branchId) await requireBranch(trx, brandId, data.branchId);
    if (await trx('admin_users').where({ email: data.email }).first())
      throw alreadyExists(`An account with ${data.email} already exists.`, { field: 'email' });
    const row = {
      id: deps.ids(),
      brand_id: brandId,
      email: data.email,
      display_name: data.displayName,
      role: data.role,
      branch_id: data.branchId ?? null,
      password_hash: passwordHash,
      active: true,
      failed_signins: 0,
      locked_until: null,
      created_at: now,
      updated_at: now,
    };
    await trx('admin_users').insert(row);
    return toAdminUserView(row);
  });
}

export async function listAdminUsers(db: Knex, brandId: string): Promise<AdminUserView[]> {
  await requireBrand(db, brandId);
  const rows = await db('admin_users')
    .where({ brand_id: brandId })
    .orderBy([{ column: 'email' }]);
  return rows.map(toAdminUserView);
}

export async function getAdminUser(db: Knex, userId: string): Promise<AdminUserView> {
  const row = await db('admin_users').where({ id: userId }).first();
  if (!row) throw notFound('Account', userId);
  return toAdminUserView(row);
}

export async function updateAdminUser(
  db: Knex,
  deps: CatalogDeps,
  userId: string,
  input: unknown,
): Promise<AdminUserView> {
  const data = parseInput(UpdateAdminUserInput, input);
  const passwordHash = data.password === undefined ? undefined : await hashPassword(data.password);
  const now = deps.clock.now().toISOString();
  return inTransaction(db, async (trx) => {
    const row = await trx('admin_users').where({ id: userId }).first();
    if (!row) throw notFound('Account', userId);
    const role = data.role ?? AdminRole.parse(row.role);
    const branch =
      data.branchId !== undefined ? data.branchId : role === 'sales_manager' ? row.branch_id : null;
    // The role and branch are checked together, as they will be stored.
    parseInput(UpdateAdminUserInput, { role, branchId: branch });
    if (branch) await requireBranch(trx, String(row.brand_id), branch);
    const patch: Record<string, unknown> = { role, branch_id: branch ?? null, updated_at: now };
    if (data.displayName !== undefined) patch.display_name = data.displayName;
    if (data.active !== undefined) patch.active = data.active;
    if (passwordHash !== undefined)
      Object.assign(patch, { password_hash: passwordHash, failed_signins: 0, locked_until: null });
    await trx('admin_users').where({ id: userId }).update(patch);
    if (data.active === false || passwordHash !== undefined)
      await trx('admin_sessions').where({ user_id: userId }).delete();
    return toAdminUserView({ ...row, ...patch });
  });
}
