/** staff.signin: a sign-in made on the device (possibly offline), kept as an audit event. */
import { rejected, applied, recordEvent, staffOf, type Applier } from './types';

export const applyStaffSignIn: Applier<'staff.signin'> = async (mutation, ctx) => {
  const staff = await staffOf(ctx, mutation.payload.staffId);
  if (!staff) return rejected('STAFF_NOT_FOUND', 'No such staff member in this brand.');
  if (!(staff.active === true || staff.active === 1)) {
    return rejected('STAFF_INACTIVE', 'This staff member is no longer active.');
  }
  if (staff.branch_id !== null && staff.branch_id !== ctx.device.branchId) {
    return rejected('STAFF_NOT_IN_BRANCH', 'This staff member belongs to another branch.');
  }
  recordEvent(ctx, 'staff.signin', String(staff.id), {
    mutationId: mutation.id,
    signedInAt: mutation.payload.signedInAt,
    deviceTime: mutation.deviceTime,
  });
  return applied();
};
