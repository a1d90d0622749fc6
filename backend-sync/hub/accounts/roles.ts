/**
 * Who may use the back office, and for what. Every admin route names the roles it
 * admits (http/admin/routes.ts); the back office only hides what the hub would refuse.
 */
import { z } from 'zod';

/** The roles that sign in to the back office. Sales associates work on consoles only. */
export const AdminRole = z.enum(['admin', 'supervisor', 'cs_manager', 'cs_agent', 'sales_manager']);
export type AdminRole = z.infer<typeof AdminRole>;
export const ADMIN_ROLES: readonly AdminRole[] = AdminRole.options;

/** Who made a request: a signed-in person, a brand's API token, or the hub operator's token. */
export type Principal =
  | {
      kind: 'user';
      userId: string;
      email: string;
      brandId: string;
      role: AdminRole;
      /** A sales manager's branch: the only one whose rows they may read. */
      branchId: string | null;
    }
  | { kind: 'api_token'; tokenId: string; name: string; brandId: string }
  | { kind: 'operator' };

/** The role a principal acts with: tokens act as the brand's admin, the operator above all. */
export const roleOf = (p: Principal): AdminRole | 'operator' =>
  p.kind === 'user' ? p.role : p.kind === 'api_token' ? 'admin' : 'operator';

/** Role sets the route table uses, named for what they guard. */
export const EVERY_ROLE: readonly AdminRole[] = ADMIN_ROLES;
export const HEAD_OFFICE: readonly AdminRole[] = ['admin', 'supervisor', 'cs_manager', 'cs_agent'];
export const MANAGERS: readonly AdminRole[] = ['admin', 'supervisor'];
export const CUSTOMER_SERVICE: readonly AdminRole[] = ['admin', 'supervisor', 'cs_manager', 'cs_agent'];
export const CS_MANAGERS: readonly AdminRole[] = ['admin', 'supervisor', 'cs_manager'];
/** Devices: admins enroll them; supervisors and a sales manager (their branch) watch them. */
export const DEVICE_READERS: readonly AdminRole[] = ['admin', 'supervisor', 'sales_manager'];
export const ADMIN_ONLY: readonly AdminRole[] = ['admin'];
/** The operator token alone: creating brands spans the whole hub. */
export const OPERATOR_ONLY: readonly AdminRole[] = [];
