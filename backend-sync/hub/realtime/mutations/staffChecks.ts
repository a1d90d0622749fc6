/** Checks shared by mutations a sales associate makes on a console (add customer, broadcast). */
import type { ApplyContext, ApplyResult } from './types';
import { rejected, staffOf } from './types';

type Row = Record<string, unknown>;

const SALES_ROLES = ['sales_associate', 'sales_manager'];

/** The active sales staff member of the device's branch, or the rejection to answer with. */
export async function salesStaffOf(
  ctx: ApplyContext,
  staffId: string,
): Promise<{ staff: Row } | { rejection: ApplyResult }> {
  const staff = await staffOf(ctx, staffId);
  if (!staff) return { rejection: rejected('STAFF_NOT_FOUND', 'No such staff member in this brand.') };
  if (!(staff.active === true || staff.active === 1)) {
    return { rejection: rejected('STAFF_INACTIVE', 'This staff member is no longer active.') };
  }
  if (!SALES_ROLES.includes(String(staff.role))) {
    return {
      rejection: rejected('FORBIDDEN', 'Only sales associates and sales managers have customer lists.'),
    };
  }
  if (staff.branch_id !== ctx.device.branchId) {
    return { rejection: rejected('STAFF_NOT_IN_BRANCH', 'This staff member belongs to another branch.') };
  }
  return { staff };
}
