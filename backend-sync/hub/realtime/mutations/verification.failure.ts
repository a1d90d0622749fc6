/** verification.failure: a wrong coupon verification code typed at the till, kept as an audit event. */
import { applied, recordEvent, rejected, type Applier } from './types';

export const applyVerificationFailure: Applier<'verification.failure'> = async (mutation, ctx) => {
  const coupon = await ctx
    .trx('coupons')
    .where({ id: mutation.payload.couponId, brand_id: ctx.device.brandId })
    .first();
  if (!coupon) return rejected('COUPON_NOT_FOUND', 'No such coupon in this brand.');
  // Only the scanned claim code is kept — never what was typed as the verification code.
  await recordEvent(ctx, 'verification.failure', mutation.payload.staffId, {
    mutationId: mutation.id,
    couponId: mutation.payload.couponId,
    scannedCode: mutation.payload.scannedCode,
    deviceTime: mutation.deviceTime,
  });
  return applied();
};
