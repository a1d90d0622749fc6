/**
 * The binding service: a customer who wrote to a channel is upserted, and a binding message
 * (prefix + staff code + suffix) binds, moves or keeps them per the brand's settings. Everything
 * is written in the caller's transaction — customer, binding, binding_history and the change log
 * (customers/replication.ts: the lists it is on now, a delete in those it left) — so a console
 * never sees half of it.
 */
import type { Knex } from 'knex';
import {
  changesBinding,
  decideBinding,
  parseBindingMessage,
  replyFor,
  type Associate,
  type BindingOutcome,
  type OutgoingMessage,
} from '../../domain/binding';
import { recordCustomerChange } from '../customers/replication';
import type { ServiceDeps } from '../services/common';

export type { ServiceDeps };
import { storableName, storableUrl } from '../http/inputBounds';
import { memberCardFor, repliesFor, type BindingSettings } from './settings';

type Row = Record<string, unknown>;

export interface ChannelContact {
  brandId: string;
  channel: 'line' | 'whatsapp';
  channelUserId: string;
  displayName?: string | null;
  avatarUrl?: string | null;
  /** E.164 (WhatsApp: '+' + wa_id). */
  phone?: string | null;
}

const BINDABLE_ROLES = ['sales_associate', 'sales_manager'];

export interface UpsertResult {
  customer: Row;
  /** The customer is bound and something consoles show changed. */
  changed: boolean;
}

/** Finds or creates the channel's customer; refreshes name, avatar and phone when given. */
export async function upsertChannelCustomer(
  trx: Knex.Transaction,
  deps: ServiceDeps,
  given: ChannelContact,
): Promise<UpsertResult> {
  const at = deps.clock.now();
  // Names and pictures come from the platform's profile: clipped to what the columns hold.
  const contact = {
    ...given,
    displayName: storableName(given.displayName),
    avatarUrl: storableUrl(given.avatarUrl),
  };
  const key = { brand_id: contact.brandId, channel: contact.channel, channel_user_id: contact.channelUserId };
  const existing: Row | undefined = await trx('customers').where(key).first();
  if (!existing) {
    const row: Row = {
      id: deps.ids(),
      ...key,
      display_name: contact.displayName || fallbackName(contact),
      phone: contact.phone ?? null,
      avatar_url: contact.avatarUrl ?? null,
      bound_staff_id: null,
      bound_branch_id: null,
      bound_at: null,
      created_at: at.toISOString(),
    };
    await trx('customers').insert(row);
    return { customer: row, changed: false };
  }
  const update: Row = {};
  if (contact.displayName && contact.displayName !== existing.display_name)
    update.display_name = contact.displayName;
  if (contact.avatarUrl && contact.avatarUrl !== existing.avatar_url) update.avatar_url = contact.avatarUrl;
  if (contact.phone && contact.phone !== existing.phone) update.phone = contact.phone;
  if (Object.keys(update).length === 0) return { customer: existing, changed: false };
  await trx('customers').where({ id: existing.id }).update(update);
  const customer = { ...existing, ...update };
  const bound = !!customer.bound_staff_id;
  if (bound) await recordCustomerChange(trx, existing, customer, at);
  return { customer, changed: bound };
}

const fallbackName = (c: ChannelContact): string =>
  c.phone ?? (c.channel === 'line' ? `LINE 用戶 ${c.channelUserId.slice(-4)}` : c.channelUserId);

export interface BindingResult {
  /** null: the text was not a binding message (an ordinary chat message). */
  outcome: BindingOutcome | null;
  replies: OutgoingMessage[];
  /** The binding changed (history and change log written). */
  changed: boolean;
  customer: Row;
}

/** Reads shared by a batch of webhook events (binding settings, an associate looked up once per batch). */
export interface Memo {
  get<T>(key: string, load: () => Promise<T>): Promise<T>;
}

const noMemo: Memo = { get: (_key, load) => load() };

/** Applies a text message from the customer: binding rules, history, change log. */
export async function applyBindingMessage(
  trx: Knex.Transaction,
  deps: ServiceDeps,
  args: { customer: Row; text: string; settings: BindingSettings; memo?: Memo },
): Promise<BindingResult> {
  const { customer, settings } = args;
  const staffCode = parseBindingMessage(args.text, settings);
  if (!staffCode) return { outcome: null, replies: [], changed: false, customer };

  const brandId = String(customer.brand_id);
  const named = await (args.memo ?? noMemo).get(`associate:${brandId}:${staffCode}`, () =>
    findAssociate(trx, brandId, (q) => q.whereRaw('upper(staff.staff_code) = ?', [staffCode])),
  );
  const current = customer.bound_staff_id
    ? await findAssociate(trx, brandId, (q) => q.where('staff.id', String(customer.bound_staff_id)), false)
    : null;
  const outcome = decideBinding({ staffCode, current, named, mode: settings.mode });
  const branchId =
    outcome.kind === 'repeat' ? outcome.current.branchId : 'to' in outcome ? outcome.to.branchId : null;
  const replies: OutgoingMessage[] = replyFor(outcome, repliesFor(settings, branchId));
  if (!changesBinding(outcome)) return { outcome, replies, changed: false, customer };
  const card = memberCardFor(settings, customer.channel);
  // A reply token carries at most 5 messages: the card goes when there is room.
  if (card && replies.length < 5) replies.push(card);

  const now = deps.clock.now();
  const bound = {
    bound_staff_id: outcome.to.staffId,
    bound_branch_id: outcome.to.branchId,
    bound_at: now.toISOString(),
  };
  await trx('customers').where({ id: customer.id }).update(bound);
  await trx('binding_history').insert({
    customer_id: customer.id,
    from_staff_id: customer.bound_staff_id ?? null,
    to_staff_id: outcome.to.staffId,
    channel: customer.channel,
    source: 'webhook',
    at: bound.bound_at,
  });
  const row = { ...customer, ...bound };
  await recordCustomerChange(trx, customer, row, now);
  return { outcome, replies, changed: true, customer: row };
}

/** An associate with their branch; `bindable` = active sales staff of a branch (may be bound to). */
async function findAssociate(
  trx: Knex.Transaction,
  brandId: string,
  where: (q: Knex.QueryBuilder) => Knex.QueryBuilder,
  bindable = true,
): Promise<Associate | null> {
  let query = trx('staff')
    .join('branches', 'branches.id', 'staff.branch_id')
    .where('staff.brand_id', brandId)
    .select('staff.id', 'staff.display_name', 'staff.branch_id', 'branches.name as branch_name');
  if (bindable) query = query.where('staff.active', true).whereIn('staff.role', BINDABLE_ROLES);
  const row: Row | undefined = await where(query).first();
  return row
    ? {
        staffId: String(row.id),
        displayName: String(row.display_name),
        branchId: String(row.branch_id),
        branchName: String(row.branch_name),
      }
    : null;
}
