/**
 * OMO binding (綁定) rules, pure: read the binding message a customer sends after scanning an
 * associate's QR code (prefix + staff code + suffix), decide what happens to the customer's
 * binding, and render the reply with its placeholders.
 *
 * Customers type on phones: the message may arrive with full-width characters (Ｓ００１), extra or
 * ideographic spaces, or a different letter case — all of that still names the same associate.
 */

export type BindingMode = 'fixed' | 'free';

export const DEFAULT_BINDING_PREFIX = '聯絡專員';
export const DEFAULT_BINDING_SUFFIX = '';

/** One message of a reply. Text may carry {店員姓名} and {分店名稱}. */
export type ReplyMessage =
  { type: 'text'; text: string } | { type: 'image'; url: string; previewUrl?: string | undefined };

/** A card with one button opening `url` (the 91APP member-binding card sent after a binding). */
export interface LinkCard {
  type: 'link';
  text: string;
  label: string;
  url: string;
}

/** What the hub sends a customer: configured reply messages, and cards it adds itself. */
export type OutgoingMessage = ReplyMessage | LinkCard;

/** A configured reply: plain text, or a bot module (an ordered list of messages). */
export type Reply = { kind: 'text'; text: string } | { kind: 'module'; messages: ReplyMessage[] };

/** Staff codes: letters, digits, '-' and '_' (what the admin API accepts), at most 32. */
const STAFF_CODE = /^[0-9a-z][0-9a-z_-]{0,31}$/i;

/**
 * NFKC folds full-width letters, digits and the ideographic space to their ASCII forms; then all
 * whitespace goes (a QR code's message never has meaningful spaces) and letters are compared
 * case-insensitively.
 */
export function squash(text: string): string {
  return text.normalize('NFKC').replace(/\s+/gu, '').toLowerCase();
}

/**
 * The staff code named by a binding message, upper-cased, or null when the message is not a
 * binding message (an ordinary chat message).
 */
export function parseBindingMessage(
  text: string,
  settings: { prefix: string; suffix: string },
): string | null {
  const body = squash(text);
  const prefix = squash(settings.prefix);
  const suffix = squash(settings.suffix);
  if (!body.startsWith(prefix) || !body.endsWith(suffix)) return null;
  if (body.length < prefix.length + suffix.length + 1) return null;
  const code = body.slice(prefix.length, body.length - suffix.length);
  return STAFF_CODE.test(code) ? code.toUpperCase() : null;
}

/** The message an associate's QR code pre-fills. */
export function bindingMessage(staffCode: string, settings: { prefix: string; suffix: string }): string {
  return `${settings.prefix}${staffCode}${settings.suffix}`;
}

export interface Associate {
  staffId: string;
  displayName: string;
  branchId: string;
  branchName: string;
}

export type BindingOutcome =
  /** The customer was unbound and is now bound. */
  | { kind: 'bound'; to: Associate }
  /** Free mode: moved from another associate. */
  | { kind: 'rebound'; to: Associate; fromStaffId: string }
  /** Fixed mode: stays with the current associate, who the reply names. */
  | { kind: 'repeat'; current: Associate }
  /** Already bound to this very associate: nothing changes. */
  | { kind: 'already_bound'; to: Associate }
  /** No bindable associate has that staff code: nothing changes. */
  | { kind: 'unknown_staff'; staffCode: string };

/**
 * What a binding message does. `current` is the associate the customer is bound to now (null when
 * unbound); `named` the associate the message names (null when the code matches nobody bindable).
 */
export function decideBinding(args: {
  staffCode: string;
  current: Associate | null;
  named: Associate | null;
  mode: BindingMode;
}): BindingOutcome {
  const { current, named, mode } = args;
  if (!named) return { kind: 'unknown_staff', staffCode: args.staffCode };
  if (!current) return { kind: 'bound', to: named };
  if (current.staffId === named.staffId) return { kind: 'already_bound', to: named };
  if (mode === 'fixed') return { kind: 'repeat', current };
  return { kind: 'rebound', to: named, fromStaffId: current.staffId };
}

/** True when the outcome changes the customer's binding (history, change log, consoles). */
export const changesBinding = (
  o: BindingOutcome,
): o is Extract<BindingOutcome, { kind: 'bound' | 'rebound' }> => o.kind === 'bound' || o.kind === 'rebound';

export const PLACEHOLDER_STAFF_NAME = '{店員姓名}';
export const PLACEHOLDER_BRANCH_NAME = '{分店名稱}';

export function renderTemplate(template: string, vars: { staffName: string; branchName: string }): string {
  return template
    .split(PLACEHOLDER_STAFF_NAME)
    .join(vars.staffName)
    .split(PLACEHOLDER_BRANCH_NAME)
    .join(vars.branchName);
}

/** The reply's messages, in order, with placeholders filled (images pass through unchanged). */
export function renderReply(reply: Reply, vars: { staffName: string; branchName: string }): ReplyMessage[] {
  const messages: ReplyMessage[] =
    reply.kind === 'text' ? [{ type: 'text', text: reply.text }] : reply.messages;
  return messages
    .map((m) => (m.type === 'text' ? { type: 'text' as const, text: renderTemplate(m.text, vars) } : m))
    .filter((m) => m.type !== 'text' || m.text.trim().length > 0);
}

export interface BindingReplies {
  success: Reply;
  repeat: Reply;
  /** For an unknown staff code; null = say nothing. */
  unknownStaff: Reply | null;
}

/** The reply an outcome gets: success (also when already bound), repeat, or the default reply. */
export function replyFor(outcome: BindingOutcome, replies: BindingReplies): ReplyMessage[] {
  switch (outcome.kind) {
    case 'bound':
    case 'rebound':
    case 'already_bound':
      return renderReply(replies.success, varsOf(outcome.to));
    case 'repeat':
      return renderReply(replies.repeat, varsOf(outcome.current));
    case 'unknown_staff':
      return replies.unknownStaff ? renderReply(replies.unknownStaff, { staffName: '', branchName: '' }) : [];
  }
}

const varsOf = (a: Associate) => ({ staffName: a.displayName, branchName: a.branchName });

// ---------------------------------------------------------------------------------------------
// Adding a customer by WhatsApp number on a console

export type PhoneAddDecision =
  /** New, unbound, or already this associate's: bind (or keep). */
  | { kind: 'bind' }
  /** Bound to another associate and the brand does not allow transfers. */
  | { kind: 'refused' }
  /** Bound to another associate, transfers allowed, the associate has not confirmed yet. */
  | { kind: 'needs_confirmation' }
  /** Confirmed: bind to the new associate, who takes over the conversation. */
  | { kind: 'take_over' };

/**
 * The add-by-number table (binding mode × transfer allowed): in both modes a number bound to another
 * associate is refused when transfers are off, and bound after a confirmation when they are on.
 * The mode is an input so the table stays visible here; today it does not change the answer.
 */
export function decidePhoneAdd(args: {
  mode: BindingMode;
  allowTransfer: boolean;
  /** The associate the number is bound to now (null: new or unbound). */
  currentStaffId: string | null;
  requesterId: string;
  takeOver: boolean;
}): PhoneAddDecision {
  if (args.currentStaffId === null || args.currentStaffId === args.requesterId) return { kind: 'bind' };
  if (!args.allowTransfer) return { kind: 'refused' };
  return args.takeOver ? { kind: 'take_over' } : { kind: 'needs_confirmation' };
}
