/** Who may do what. The hub enforces; the console only hides what the hub would refuse. */
import { Role } from '../protocol';

/** Every role, in the protocol's order (its schema is the one list). */
export const ROLES: readonly Role[] = Role.options;

/** Roles whose staff belong to one branch; the others are brand-wide. */
export const BRANCH_ROLES: readonly Role[] = ['sales_manager', 'sales_associate'];

export const canResolveConflicts = (role: Role): boolean =>
  role === 'sales_manager' || role === 'supervisor' || role === 'admin';

export const hasOwnCustomerList = (role: Role): boolean =>
  role === 'sales_manager' || role === 'sales_associate';

export const canSeeTeamList = (role: Role): boolean => role === 'sales_manager';

/** Who may point the device at its hub's new address, or make it leave and enroll again. */
export const canManageDevice = (role: Role): boolean =>
  role === 'sales_manager' || role === 'supervisor' || role === 'admin';
