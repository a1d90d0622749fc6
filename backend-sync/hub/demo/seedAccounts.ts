/**
 * The demo's back-office accounts (docs/demo.md names them): one admin and one per other role,
 * made once; a second start finds them.
 */
import type { Knex } from 'knex';
import { createAdminUser } from '../accounts/users';
import type { AdminRole } from '../accounts/roles';
import type { CatalogDeps } from '../services/common';

export const DEMO_ADMIN_PASSWORD = 'omo-demo-password';

export const DEMO_ACCOUNTS: readonly {
  email: string;
  role: AdminRole;
  displayName: string;
  branchCode?: string;
}[] = [
  { email: 'admin@omo.demo', role: 'admin', displayName: '王管理' },
  { email: 'supervisor@omo.demo', role: 'supervisor', displayName: '陳主管' },
  { email: 'cs@omo.demo', role: 'cs_manager', displayName: '李客服經理' },
  { email: 'sales@omo.demo', role: 'sales_manager', displayName: '張銷售經理', branchCode: 'TPE' },
];

export async function ensureDemoAccounts(
  trx: Knex.Transaction,
  deps: CatalogDeps,
  brandId: string,
  branches: readonly Record<string, unknown>[],
): Promise<{ email: string; password: string; role: AdminRole }[]> {
  for (const account of DEMO_ACCOUNTS) {
    if (await trx('admin_users').where({ email: account.email }).first('id')) continue;
    const branch = account.branchCode ? branches.find((b) => b.code === account.branchCode) : undefined;
    await createAdminUser(trx, deps, brandId, {
      email: account.email,
      role: account.role,
      displayName: account.displayName,
      branchId: branch ? String(branch.id) : null,
      password: DEMO_ADMIN_PASSWORD,
    });
  }
  return DEMO_ACCOUNTS.map(({ email, role }) => ({ email, role, password: DEMO_ADMIN_PASSWORD }));
}
