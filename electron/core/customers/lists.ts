/**
 * Which customer lists a signed-in staff member has and the local stream each is
 * stored under. The hub sends a list only to that staff member's session; these rules only pick
 * which of the lists on this device the screen may show.
 */
import { AppError, ErrorCode } from '../../../backend-sync/domain/errors';
import { canSeeTeamList, hasOwnCustomerList } from '../../../backend-sync/domain/roles';
import type { PullStream } from '../../../backend-sync/protocol';
import type { CustomerList, SignedInStaff } from '../consoleApi/contract';

export function listsOf(staff: SignedInStaff): CustomerList[] {
  if (canSeeTeamList(staff.role) && staff.branchId) return ['mine', 'team'];
  if (hasOwnCustomerList(staff.role)) return ['mine'];
  return [];
}

export function requireSignedIn(staff: SignedInStaff | null): SignedInStaff {
  if (!staff) throw new AppError(ErrorCode.NOT_SIGNED_IN, 'Sign in to see customers.');
  return staff;
}

/** The stream holding `list` for this staff member; FORBIDDEN when the role has no such list. */
export function streamOf(staff: SignedInStaff, list: CustomerList): PullStream {
  if (!listsOf(staff).includes(list)) {
    throw new AppError(ErrorCode.FORBIDDEN, `The ${list} list is not open to this role.`, { list });
  }
  return list === 'mine' ? `staff:${staff.id}` : `team:${staff.branchId!}`;
}
