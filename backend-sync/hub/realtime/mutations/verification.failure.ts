/** verification.failure: a wrong coupon verification code typed at the till, kept as an audit event. */
import { applied, couponOf, recordEvent, rejected, type Applier } from './types';

export const applyVerificationFailure: Applier<'verification.failure'> = async (mutation, ctx) => {
  const coupon = await couponOf(ctx, mutation.payload.couponId);
  if (!coupon) return rejected('COUPON_NOT_FOUND', 'No such coupon in this brand.');
  // Only the scanned claim code is kept — never what was typed as the verification code.
  recordEvent(ctx, 'verification.failure', mutation.payload.staffId, {
    mutationId: mutation.id,
    couponId: mutation.payload.couponId,
    scannedCode: mutation.payload.scannedCode,
    deviceTime: mutation.deviceTime,
  });
  return applied();
};
