/** Who may do what. The hub enforces; the console only hides what the hub would refuse. */
import { Role, type MutationKind } from '../protocol';

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

/**
 * Who may make each mutation kind (the product's roles), checked by the hub for every mutation against the
 * person of the sign-in it was made under. Anyone signed in may redeem (and so mistype a
 * verification code); customer lists and broadcasts are the sales roles'.
 */
export const MUTATION_ROLES = {
  'staff.signin': ROLES,
  'redemption.create': ROLES,
  'verification.failure': ROLES,
  'conflict.resolve': ROLES.filter(canResolveConflicts),
  'customer.add': ROLES.filter(hasOwnCustomerList),
  'broadcast.send': ROLES.filter(hasOwnCustomerList),
} as const satisfies Record<MutationKind, readonly Role[]>;

export const mayMake = (kind: MutationKind, role: Role): boolean =>
  (MUTATION_ROLES[kind] as readonly Role[]).includes(role);
