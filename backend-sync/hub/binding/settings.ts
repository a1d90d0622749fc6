/**
 * A brand's OMO binding settings: mode, the message's prefix and suffix, the success,
 * repeat and default (unknown staff code) replies, per-branch success overrides, the optional
 * 91APP LINE member-binding card sent after a successful binding, and how long a referral link
 * credits the associate (N days from send or from click). A brand that never saved any
 * gets the documented defaults.
 */
import type { Knex } from 'knex';
import { z } from 'zod';
import {
  DEFAULT_BINDING_PREFIX,
  DEFAULT_BINDING_SUFFIX,
  type BindingMode,
  type BindingReplies,
  type LinkCard,
  type Reply,
} from '../../domain/binding';

export const ReplyMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text'), text: z.string().min(1).max(5000) }),
  z.strictObject({
    type: z.literal('image'),
    url: z.url({ protocol: /^https?$/ }).max(2000),
    previewUrl: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .optional(),
  }),
]);

export const ReplySchema = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('text'), text: z.string().max(5000) }),
    z.strictObject({
      kind: z.literal('module'),
      // LINE answers a reply token with at most 5 messages.
      messages: z.array(ReplyMessageSchema).min(1).max(5),
    }),
  ])
  .meta({
    description:
      'Plain text, or a bot module (an ordered list of messages). Text may use {店員姓名} and {分店名稱}.',
  });

export const BindingModeSchema = z.enum(['fixed', 'free']).meta({
  description:
    'fixed (固定): a bound customer stays with their associate; free (自由): they move to the new one',
});

const AllowTransferSchema = z.boolean().meta({
  description:
    'A console may take over a customer bound to another associate (after confirming); false = refused',
});

export const MemberCardSchema = z
  .strictObject({
    // LINE's buttons template: text up to 160 characters, a button label up to 20.
    text: z.string().trim().min(1).max(160),
    label: z.string().trim().min(1).max(20),
    url: z
      .url({ protocol: /^https$/ })
      .max(1000)
      .meta({ description: 'The 91APP LINE member-binding link (https)' }),
  })
  .meta({
    description:
      'The 91APP LINE member-binding card sent after a successful binding on LINE (text and one button opening the link); null = none',
  });

export const ReferralValiditySchema = z
  .strictObject({
    days: z.number().int().min(1).max(365),
    from: z.enum(['send', 'click']),
  })
  .meta({
    description:
      'How long an order through a referral link is credited to the associate: days, counted from when the link was sent or first clicked',
  });
export type ReferralValidity = z.infer<typeof ReferralValiditySchema>;
export const DEFAULT_REFERRAL_VALIDITY: ReferralValidity = { days: 7, from: 'send' };

export const BindingSettingsView = z.object({
  brandId: z.string(),
  mode: BindingModeSchema,
  allowTransfer: AllowTransferSchema,
  prefix: z.string(),
  suffix: z.string(),
  successMessage: ReplySchema,
  repeatMessage: ReplySchema,
  defaultReply: ReplySchema.nullable(),
  branchSuccessMessages: z.array(z.object({ branchId: z.string(), successMessage: ReplySchema })),
  memberCard: MemberCardSchema.nullable(),
  referralValidity: ReferralValiditySchema,
  updatedAt: z.string().nullable(),
});
export type BindingSettingsView = z.infer<typeof BindingSettingsView>;

export const DEFAULT_SUCCESS: Reply = {
  kind: 'text',
  text: '您好，我是{分店名稱}的{店員姓名}，很高興為您服務！',
};
export const DEFAULT_REPEAT: Reply = { kind: 'text', text: '您已由{分店名稱}的{店員姓名}為您服務。' };
export const DEFAULT_UNKNOWN: Reply = {
  kind: 'text',
  text: '抱歉，找不到這位專員，請確認 QR Code 是否正確。',
};

export interface BindingSettings {
  brandId: string;
  mode: BindingMode;
  /** Add by phone: may an associate take over another associate's customer? */
  allowTransfer: boolean;
  prefix: string;
  suffix: string;
  success: Reply;
  repeat: Reply;
  unknownStaff: Reply | null;
  /** branch id → success reply */
  branchSuccess: Map<string, Reply>;
  memberCard: Omit<LinkCard, 'type'> | null;
  referralValidity: ReferralValidity;
  updatedAt: string | null;
}

type Row = Record<string, unknown>;

const parseReply = (v: unknown): Reply => ReplySchema.parse(JSON.parse(String(v))) as Reply;

export async function loadBindingSettings(
  db: Knex | Knex.Transaction,
  brandId: string,
): Promise<BindingSettings> {
  const row: Row | undefined = await db('binding_settings').where({ brand_id: brandId }).first();
  const overrides: Row[] = await db('binding_branch_messages').where({ brand_id: brandId });
  return {
    brandId,
    mode: row ? (String(row.mode) as BindingMode) : 'fixed',
    allowTransfer: row ? row.allow_transfer === true || row.allow_transfer === 1 : false,
    prefix: row ? String(row.prefix) : DEFAULT_BINDING_PREFIX,
    suffix: row ? String(row.suffix) : DEFAULT_BINDING_SUFFIX,
    success: row ? parseReply(row.success_message) : DEFAULT_SUCCESS,
    repeat: row ? parseReply(row.repeat_message) : DEFAULT_REPEAT,
    unknownStaff: row ? (row.default_reply ? parseReply(row.default_reply) : null) : DEFAULT_UNKNOWN,
    branchSuccess: new Map(overrides.map((o) => [String(o.branch_id), parseReply(o.success_message)])),
    memberCard: row?.member_card ? MemberCardSchema.parse(JSON.parse(String(row.member_card))) : null,
    referralValidity: row
      ? ReferralValiditySchema.parse({
          days: Number(row.referral_valid_days),
          from: String(row.referral_valid_from),
        })
      : DEFAULT_REFERRAL_VALIDITY,
    updatedAt: row ? String(row.updated_at) : null,
  };
}

/** The member-binding card a new binding on LINE gets after its success reply, if the brand set one. */
export function memberCardFor(settings: BindingSettings, channel: unknown): LinkCard | null {
  return settings.memberCard && channel === 'line' ? { type: 'link', ...settings.memberCard } : null;
}

/** The replies for a binding to an associate of `branchId` (its override, else the brand's). */
export const repliesFor = (settings: BindingSettings, branchId: string | null): BindingReplies => ({
  success: (branchId && settings.branchSuccess.get(branchId)) || settings.success,
  repeat: settings.repeat,
  unknownStaff: settings.unknownStaff,
});

export function toBindingSettingsView(s: BindingSettings): BindingSettingsView {
  return {
    brandId: s.brandId,
    mode: s.mode,
    allowTransfer: s.allowTransfer,
    prefix: s.prefix,
    suffix: s.suffix,
    successMessage: s.success,
    repeatMessage: s.repeat,
    defaultReply: s.unknownStaff,
    branchSuccessMessages: [...s.branchSuccess].map(([branchId, successMessage]) => ({
      branchId,
      successMessage,
    })),
    memberCard: s.memberCard,
    referralValidity: s.referralValidity,
    updatedAt: s.updatedAt,
  };
}

export const BindingSettingsInput = z.strictObject({
  mode: BindingModeSchema,
  allowTransfer: AllowTransferSchema.default(false),
  prefix: z.string().trim().min(1).max(50).default(DEFAULT_BINDING_PREFIX),
  suffix: z.string().max(50).default(DEFAULT_BINDING_SUFFIX),
  successMessage: ReplySchema,
  repeatMessage: ReplySchema,
  defaultReply: ReplySchema.nullable().meta({
    description: 'Reply to an unknown staff code; null = no reply',
  }),
  branchSuccessMessages: z
    .array(z.strictObject({ branchId: z.string().min(1), successMessage: ReplySchema }))
    .max(1000)
    .default([])
    .meta({ description: 'Per-branch overrides of the success message (replaces the whole list)' }),
  memberCard: MemberCardSchema.nullable().default(null),
  referralValidity: ReferralValiditySchema.default(DEFAULT_REFERRAL_VALIDITY),
});
export type BindingSettingsInput = z.input<typeof BindingSettingsInput>;

/** Replaces the brand's settings and overrides (the caller validated and checked branches). */
export async function saveBindingSettings(
  trx: Knex.Transaction,
  brandId: string,
  data: z.output<typeof BindingSettingsInput>,
  at: string,
): Promise<void> {
  const row = {
    brand_id: brandId,
    mode: data.mode,
    allow_transfer: data.allowTransfer,
    prefix: data.prefix,
    suffix: data.suffix,
    success_message: JSON.stringify(data.successMessage),
    repeat_message: JSON.stringify(data.repeatMessage),
    default_reply: data.defaultReply ? JSON.stringify(data.defaultReply) : null,
    member_card: data.memberCard ? JSON.stringify(data.memberCard) : null,
    referral_valid_days: data.referralValidity.days,
    referral_valid_from: data.referralValidity.from,
    updated_at: at,
  };
  await trx('binding_settings').insert(row).onConflict('brand_id').merge();
  await trx('binding_branch_messages').where({ brand_id: brandId }).delete();
  for (const o of data.branchSuccessMessages) {
    await trx('binding_branch_messages').insert({
      branch_id: o.branchId,
      brand_id: brandId,
      success_message: JSON.stringify(o.successMessage),
      updated_at: at,
    });
  }
}
