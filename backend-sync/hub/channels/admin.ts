/**
 * Channel administration: create, list, update. Secrets (channel secret, access tokens, app
 * secret, verify token) are write-only: views say only whether each is set.
 */
import type { Knex } from 'knex';
import { z } from 'zod';
import type { Clock, IdGenerator } from '../../domain/clock';
import { AppError, ErrorCode } from '../../domain/errors';
import { requireBrand } from '../brands/brands';
import { recordBrandRow } from '../binding/brandRow';
import { inTransaction, notFound, parseInput } from '../services/common';
import { WhatsappTemplateRef } from '../../protocol';
import { seal, SECRET_COLUMNS } from './secretBox';
import { BUTTON_KINDS, buttonProblems } from '../../domain/templateButtons';

const SEALED = new Set<string>(SECRET_COLUMNS);

const secret = (what: string) =>
  z
    .string()
    .trim()
    .min(1)
    .max(1000)
    .meta({ description: `${what} (write-only)` });

/**
 * Signing secrets and the verify token live in varchar(255) columns once sealed (about 60
 * characters plus a third on top of the value), so they are kept to what the platforms issue:
 * printable ASCII, at most 128 characters (LINE's channel secret and Meta's app secret are 32).
 */
const signingSecret = (what: string) =>
  z
    .string()
    .trim()
    .min(1)
    .max(128)
    .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
    .meta({ description: `${what} (write-only)` });

const LineFields = {
  name: z.string().trim().min(1).max(100),
  channelId: z
    .string()
    .trim()
    .regex(/^\d{1,20}$/)
    .optional()
    .meta({ description: 'LINE Channel ID' }),
  destination: z
    .string()
    .trim()
    .regex(/^U[0-9a-f]{32}$/)
    .optional()
    .meta({
      description: "The bot's user id (a webhook's destination); learnt from the first webhook when absent",
    }),
  basicId: z
    .string()
    .trim()
    .regex(/^@[\w.-]{1,40}$/)
    .optional()
    .meta({ description: 'Basic id, e.g. @omo-demo' }),
};

const WhatsappFields = {
  name: z.string().trim().min(1).max(100),
  phoneNumberId: z
    .string()
    .trim()
    .regex(/^\d{5,30}$/)
    .meta({ description: 'Cloud API phone number id' }),
  displayNumber: z
    .string()
    .trim()
    .regex(/^\d{6,20}$/)
    .meta({ description: 'The number, digits only (wa.me form)' }),
  businessAccountId: z
    .string()
    .trim()
    .regex(/^\d{5,30}$/)
    .optional(),
  templates: z
    .array(
      z.strictObject({
        name: z
          .string()
          .trim()
          .regex(/^[a-z0-9_]{1,512}$/, 'lower-case letters, digits and _'),
        language: z
          .string()
          .trim()
          .regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'e.g. zh_HK, en_US'),
        preview: z.string().trim().min(1).max(1024),
        buttons: z
          .array(
            z.strictObject({
              kind: z.enum(BUTTON_KINDS),
              text: z.string().trim().min(1).max(25),
            }),
          )
          .max(20)
          .superRefine((buttons, ctx) => {
            for (const problem of buttonProblems(buttons))
              ctx.addIssue({ code: 'custom', message: problem.message });
          })
          .optional()
          .meta({
            description:
              'The template buttons (seed 002 limits: 10 in all; 10 quick replies, 2 websites, 1 phone, 1 order)',
          }),
      }),
    )
    .max(100)
    .optional()
    .meta({ description: 'Approved message templates broadcasts may use (as approved in WhatsApp Manager)' }),
};

export const CreateChannelInput = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('line'),
    ...LineFields,
    channelSecret: signingSecret('Channel secret (signs webhooks)'),
    accessToken: secret('Channel access token'),
  }),
  z.strictObject({
    kind: z.literal('whatsapp'),
    ...WhatsappFields,
    appSecret: signingSecret('Meta app secret (signs webhooks)'),
    verifyToken: signingSecret('Webhook verify token'),
    accessToken: secret('Access token'),
  }),
]);

export const UpdateChannelInput = z
  .strictObject({
    name: LineFields.name.optional(),
    channelId: LineFields.channelId,
    destination: LineFields.destination,
    basicId: LineFields.basicId,
    phoneNumberId: WhatsappFields.phoneNumberId.optional(),
    displayNumber: WhatsappFields.displayNumber.optional(),
    businessAccountId: WhatsappFields.businessAccountId,
    templates: WhatsappFields.templates,
    channelSecret: signingSecret('Channel secret').optional(),
    appSecret: signingSecret('App secret').optional(),
    verifyToken: signingSecret('Verify token').optional(),
    accessToken: secret('Access token').optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), {
    message: 'give at least one field to change',
  });

const AdminTemplate = WhatsappTemplateRef.extend({
  buttons: z.array(z.object({ kind: z.enum(BUTTON_KINDS), text: z.string() })).optional(),
});

export const ChannelView = z.object({
  id: z.string(),
  brandId: z.string(),
  kind: z.enum(['line', 'whatsapp']),
  name: z.string(),
  channelId: z.string().nullable(),
  destination: z.string().nullable(),
  basicId: z.string().nullable(),
  phoneNumberId: z.string().nullable(),
  displayNumber: z.string().nullable(),
  businessAccountId: z.string().nullable(),
  templates: z.array(AdminTemplate),
  hasChannelSecret: z.boolean(),
  hasAppSecret: z.boolean(),
  hasVerifyToken: z.boolean(),
  hasAccessToken: z.boolean(),
  /** Where the platform must post webhooks (relative to the hub URL). */
  webhookPath: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ChannelView = z.infer<typeof ChannelView>;

type Row = Record<string, unknown>;
const sn = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const has = (v: unknown): boolean => typeof v === 'string' && v.length > 0;

export const toChannelView = (r: Row): ChannelView => ({
  id: String(r.id),
  brandId: String(r.brand_id),
  kind: r.kind === 'line' ? 'line' : 'whatsapp',
  name: String(r.name),
  channelId: sn(r.line_channel_id),
  destination: sn(r.line_destination),
  basicId: sn(r.line_basic_id),
  phoneNumberId: sn(r.wa_phone_number_id),
  displayNumber: sn(r.wa_display_number),
  businessAccountId: sn(r.wa_business_account_id),
  templates: templatesOf(r),
  hasChannelSecret: has(r.line_channel_secret),
  hasAppSecret: has(r.wa_app_secret),
  hasVerifyToken: has(r.wa_verify_token),
  hasAccessToken: has(r.line_access_token) || has(r.wa_access_token),
  webhookPath: r.kind === 'line' ? '/webhooks/line' : '/webhooks/whatsapp',
  createdAt: String(r.created_at),
  updatedAt: String(r.updated_at),
});

/** The stored templates with their buttons (consoles get them without: protocol WhatsappTemplateRef). */
function templatesOf(r: Row): ChannelView['templates'] {
  if (r.kind !== 'whatsapp' || typeof r.wa_templates !== 'string') return [];
  try {
    const parsed = z.array(AdminTemplate).safeParse(JSON.parse(r.wa_templates));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

const COLUMNS: Record<string, Record<string, string>> = {
  line: {
    name: 'name',
    channelId: 'line_channel_id',
    destination: 'line_destination',
    basicId: 'line_basic_id',
    channelSecret: 'line_channel_secret',
    accessToken: 'line_access_token',
  },
  whatsapp: {
    name: 'name',
    phoneNumberId: 'wa_phone_number_id',
    displayNumber: 'wa_display_number',
    businessAccountId: 'wa_business_account_id',
    templates: 'wa_templates',
    appSecret: 'wa_app_secret',
    verifyToken: 'wa_verify_token',
    accessToken: 'wa_access_token',
  },
};

function columnsOf(kind: string, data: Record<string, unknown>): Row {
  const out: Row = {};
  for (const [field, value] of Object.entries(data)) {
    if (field === 'kind' || value === undefined) continue;
    const column = COLUMNS[kind]![field];
    if (!column) {
      throw new AppError(ErrorCode.VALIDATION_FAILED, 'The input is not valid.', {
        issues: [{ path: field, message: `not a field of a ${kind} channel` }],
      });
    }
    // Secrets are stored sealed (secretBox.ts): the database never holds them in plain text.
    out[column] = SEALED.has(column)
      ? seal(String(value))
      : Array.isArray(value)
        ? JSON.stringify(value)
        : value;
  }
  return out;
}

export async function createChannel(
  db: Knex,
  deps: { clock: Clock; ids: IdGenerator },
  brandId: string,
  input: unknown,
): Promise<ChannelView> {
  const data = parseInput(CreateChannelInput, input);
  const at = deps.clock.now().toISOString();
  return inTransaction(db, async (trx) => {
    await requireBrand(trx, brandId);
    const row = {
      id: deps.ids(),
      brand_id: brandId,
      kind: data.kind,
      ...columnsOf(data.kind, data),
      created_at: at,
      updated_at: at,
    };
    await trx('channels').insert(row);
    await recordBrandRow(trx, brandId, deps.clock.now());
    return toChannelView((await trx('channels').where({ id: row.id }).first()) as Row);
  });
}

export async function listChannels(db: Knex, brandId: string): Promise<ChannelView[]> {
  await requireBrand(db, brandId);
  const rows: Row[] = await db('channels').where({ brand_id: brandId }).orderBy('created_at');
  return rows.map(toChannelView);
}

export async function updateChannel(
  db: Knex,
  deps: { clock: Clock },
  channelId: string,
  input: unknown,
): Promise<ChannelView> {
  const data = parseInput(UpdateChannelInput, input);
  return inTransaction(db, async (trx) => {
    const existing: Row | undefined = await trx('channels').where({ id: channelId }).first();
    if (!existing) throw notFound('Channel', channelId);
    const update = { ...columnsOf(String(existing.kind), data), updated_at: deps.clock.now().toISOString() };
    await trx('channels').where({ id: channelId }).update(update);
    await recordBrandRow(trx, String(existing.brand_id), deps.clock.now());
    return toChannelView({ ...existing, ...update });
  });
}

export async function getChannel(db: Knex, channelId: string): Promise<ChannelView> {
  const row: Row | undefined = await db('channels').where({ id: channelId }).first();
  if (!row) throw notFound('Channel', channelId);
  return toChannelView(row);
}
