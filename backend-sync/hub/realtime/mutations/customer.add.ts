/**
 * customer.add: an associate adds a customer by WhatsApp number, possibly queued on
 * the console while offline. The number is checked again here (E.164, the brand's region), then:
 * a new or unbound number is bound to the associate; a number bound to someone else follows
 * decidePhoneAdd (refused when transfers are off; needs the associate's confirmation, then taken
 * over, when they are on). Refusals carry who holds the number, so the console can say so.
 */
import { decidePhoneAdd } from '../../../domain/binding';
import { formatPhone, toE164 } from '../../../domain/phone';
import { loadBindingSettings } from '../../binding/settings';
import { recordCustomerChange } from '../../customers/replication';
import { salesStaffOf } from './staffChecks';
import { applied, rejected, type ApplyContext, type Applier } from './types';

type Row = Record<string, unknown>;

export const applyCustomerAdd: Applier<'customer.add'> = async (mutation, ctx) => {
  const { payload } = mutation;
  const checked = await salesStaffOf(ctx, payload.staffId);
  if ('rejection' in checked) return checked.rejection;
  const { staff } = checked;
  const brandId = ctx.device.brandId;

  const brand = (await ctx.push.lookup(`brand:${brandId}`, () =>
    ctx.trx('brands').where({ id: brandId }).first(),
  )) as Row;
  const phone = toE164(payload.phone, String(brand.phone_region ?? ''));
  if (!phone) return rejected('PHONE_INVALID', 'This is not a valid phone number.');
  const waId = phone.slice(1);

  const existing = (await ctx
    .trx('customers')
    .where({ brand_id: brandId, channel: 'whatsapp', channel_user_id: waId })
    .first()) as Row | undefined;
  const settings = await loadBindingSettings(ctx.trx, brandId);
  const decision = decidePhoneAdd({
    mode: settings.mode,
    allowTransfer: settings.allowTransfer,
    currentStaffId: existing?.bound_staff_id ? String(existing.bound_staff_id) : null,
    requesterId: String(staff.id),
    takeOver: payload.takeOver,
  });
  if (decision.kind === 'refused' || decision.kind === 'needs_confirmation') {
    const details = await holderOf(ctx, String(existing!.bound_staff_id));
    return decision.kind === 'refused'
      ? {
          outcome: {
            status: 'rejected',
            code: 'CUSTOMER_BOUND_ELSEWHERE',
            message: 'This number is bound to another associate and the brand does not allow transfers.',
            details,
          },
          changed: false,
        }
      : {
          outcome: {
            status: 'rejected',
            code: 'CUSTOMER_TAKEOVER_UNCONFIRMED',
            message: 'This number is bound to another associate: confirm to take the customer over.',
            details,
          },
          changed: false,
        };
  }
  if (existing && existing.bound_staff_id === staff.id) return applied();

  const now = ctx.clock.now();
  const at = now.toISOString();
  const binding = { bound_staff_id: staff.id, bound_branch_id: staff.branch_id, bound_at: at };
  let before: Row | null = null;
  let after: Row;
  if (existing) {
    before = existing;
    after = { ...existing, ...binding };
    await ctx.trx('customers').where({ id: existing.id }).update(binding);
  } else {
    after = {
      id: mutation.id,
      brand_id: brandId,
      channel: 'whatsapp',
      channel_user_id: waId,
      display_name: payload.name?.trim() || formatPhone(phone),
      phone,
      avatar_url: null,
      ...binding,
      created_at: at,
    };
    await ctx.trx('customers').insert(after);
  }
  await ctx.trx('binding_history').insert({
    customer_id: after.id,
    from_staff_id: existing?.bound_staff_id ?? null,
    to_staff_id: staff.id,
    channel: 'whatsapp',
    source: 'phone',
    at,
  });
  await recordCustomerChange(ctx.trx, before, after, now);
  return applied(true);
};

/** Who holds a number now, in fields the console turns into words. */
async function holderOf(ctx: ApplyContext, staffId: string): Promise<Record<string, unknown>> {
  const row = (await ctx
    .trx('staff')
    .leftJoin('branches', 'branches.id', 'staff.branch_id')
    .where('staff.id', staffId)
    .first('staff.id', 'staff.display_name', 'staff.role', 'branches.name as branch_name')) as
    Row | undefined;
  return {
    staffId,
    staffName: row ? String(row.display_name) : null,
    role: row ? String(row.role) : null,
    branchName: row?.branch_name == null ? null : String(row.branch_name),
  };
}
