/**
 * Bound customers (SPEC §2.2) and the binding QR codes (SPEC §2.3): my list and the team list,
 * a customer's detail, adding a customer by phone number, broadcasts, and what the customers and
 * my-QR screens need to know about the brand. Channels and roles are the sync protocol's.
 */
import { z } from 'zod';
import { Channel, Role } from '../../../../backend-sync/protocol';
import { isoDateTime } from './base';

export const CustomerList = z.enum(['mine', 'team']);
export type CustomerList = z.infer<typeof CustomerList>;
export const ChannelFilter = z.enum(['all', 'line', 'whatsapp']);

/** A role - name pair, as the team list shows the associate ("銷售人員 - 王小明"). */
export const StaffRef = z.object({ id: z.string(), displayName: z.string(), role: Role.nullable() });

export const BoundCustomer = z.object({
  id: z.string(),
  displayName: z.string(),
  channel: Channel,
  /** International format ("+886 912 345 678"), or null when the channel gave none. */
  phone: z.string().nullable(),
  avatarUrl: z.string().nullable(),
  boundAt: isoDateTime.nullable(),
  /** The associate the customer is bound to (the team list shows it as "role - name"). */
  boundStaff: StaffRef.nullable(),
  boundBranchName: z.string().nullable(),
});
export type BoundCustomer = z.infer<typeof BoundCustomer>;

export const CustomerQuery = z
  .object({
    list: CustomerList.default('mine'),
    channel: ChannelFilter.default('all'),
    /** Partial name (Chinese, English, mixed) or phone in any common form. Matched literally. */
    search: z.string().trim().max(200).default(''),
    limit: z.number().int().min(1).max(500).default(100),
    offset: z.number().int().min(0).default(0),
  })
  .strict();
export type CustomerQuery = z.input<typeof CustomerQuery>;

export const CustomerPage = z.object({
  items: z.array(BoundCustomer),
  /** All matches (not only this page). */
  total: z.number().int().nonnegative(),
});
export type CustomerPage = z.infer<typeof CustomerPage>;

export const BindingHistoryEntry = z.object({
  at: isoDateTime,
  /** webhook: the customer scanned a QR · phone: added by number on a console */
  source: z.enum(['webhook', 'phone']),
  fromStaffName: z.string().nullable(),
  toStaffName: z.string().nullable(),
});

export const CustomerCoupon = z.object({
  claimId: z.string(),
  couponName: z.string(),
  claimedAt: isoDateTime,
  openedAt: isoDateTime.nullable(),
  redeemedAt: isoDateTime.nullable(),
});
export type CustomerCoupon = z.infer<typeof CustomerCoupon>;

export const CustomerDetail = BoundCustomer.extend({
  history: z.array(BindingHistoryEntry),
  coupons: z.array(CustomerCoupon),
  /** The brand's conversation URL template filled in for this customer; null when none is set. */
  conversationUrl: z.string().nullable(),
});
export type CustomerDetail = z.infer<typeof CustomerDetail>;

/** Add a customer by WhatsApp number (SPEC §2.2); answered by the hub, queued while offline. */
export const CustomerAddState = z.enum(['queued', 'added', 'needs_confirmation', 'refused', 'failed']);
export const CustomerAddRequest = z.object({
  /** The outbox mutation id. */
  id: z.string(),
  phone: z.string(),
  name: z.string(),
  takeOver: z.boolean(),
  state: CustomerAddState,
  requestedAt: isoDateTime,
  /** needs_confirmation / refused: who holds the number now, in words-ready fields. */
  currentStaff: StaffRef.nullable(),
  currentBranchName: z.string().nullable(),
  /** refused / failed: the hub's error code (the renderer turns it into words). */
  code: z.string().nullable(),
});
export type CustomerAddRequest = z.infer<typeof CustomerAddRequest>;

export const BroadcastMessage = z.discriminatedUnion('channel', [
  z.object({ channel: z.literal('line'), text: z.string().trim().min(1).max(5000) }).strict(),
  z
    .object({
      channel: z.literal('whatsapp'),
      /** An approved template (the brand's list): what customers outside the 24-hour window get. */
      templateName: z.string().min(1).max(512),
      language: z.string().min(2).max(15),
      /** Optional text for customers who wrote within the last 24 hours (they get this instead). */
      text: z.string().trim().min(1).max(4096).optional(),
    })
    .strict(),
]);
export type BroadcastMessage = z.infer<typeof BroadcastMessage>;

export const BroadcastView = z.object({
  id: z.string(),
  channel: Channel,
  /** The text (LINE) or the template's name (WhatsApp). */
  summary: z.string(),
  state: z.enum(['queued', 'sending', 'done', 'refused']),
  requestedAt: isoDateTime,
  total: z.number().int().nonnegative(),
  sent: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  code: z.string().nullable(),
});
export type BroadcastView = z.infer<typeof BroadcastView>;

export const WhatsappTemplate = z.object({ name: z.string(), language: z.string(), preview: z.string() });

/** What the customers screen needs to know about the brand and the signed-in staff. */
export const CustomersContext = z.object({
  /** The lists this staff member may see: [] (not a sales role), ['mine'] or ['mine', 'team']. */
  lists: z.array(CustomerList),
  /** ISO 3166 region for phone numbers without a country code (brand setting; default HK). */
  phoneRegion: z.string(),
  /** Its calling code, for the add dialog's default ("+852"). */
  callingCode: z.string(),
  channels: z.object({ line: z.boolean(), whatsapp: z.boolean() }),
  whatsappTemplates: z.array(WhatsappTemplate),
});
export type CustomersContext = z.infer<typeof CustomersContext>;

export const MyQrInfo = z.object({
  staffCode: z.string(),
  displayName: z.string(),
  /** prefix + staff code + suffix, as the customer's message will read. */
  message: z.string(),
  /** null when the brand has no LINE official account configured. */
  line: z.object({ basicId: z.string(), url: z.string() }).nullable(),
  /** null when the brand has no WhatsApp number configured. */
  whatsapp: z.object({ phoneNumber: z.string(), url: z.string() }).nullable(),
});
export type MyQrInfo = z.infer<typeof MyQrInfo>;
