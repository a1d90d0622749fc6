/**
 * A brand's console settings: wrong verification codes before a coupon locks on a device, how long
 * it stays locked, how long a device may redeem while offline, the region for phone numbers typed
 * without a country code, the locale of English screens' dates, the conversation links of the
 * customer screen, and how tills take app updates (staged rollout percentage, update window). They
 * are brand columns replicated in the `brand` row, so a change is recorded (scope 'brand'); tills
 * apply it at their next pull. Served as PATCH /api/admin/brands/:brandId/settings (http/admin/routes.ts).
 */
import type { Knex } from 'knex';
import { z } from 'zod';
import type { Clock } from '../../domain/clock';
import { recordChange } from '../db/changes';
import { brandRowOf } from '../binding/brandRow';
import { requireBrand, toBrandView } from './brands';
import { BrandTillSettingsFields, type BrandView } from '../services/schemas';
import { inTransaction, parseInput } from '../services/common';

export const BrandTillSettingsInput = z
  .strictObject(BrandTillSettingsFields)
  .partial()
  .refine((v) => Object.values(v).some((x) => x !== undefined), {
    message:
      'give at least one of verifyMaxAttempts, verifyLockSeconds, offlineRedeemLimitHours, phoneRegion, englishLocale, conversationUrls, updates',
  });
export type BrandTillSettingsInput = z.input<typeof BrandTillSettingsInput>;

const COLUMNS = {
  verifyMaxAttempts: 'verify_max_attempts',
  verifyLockSeconds: 'verify_lock_seconds',
  offlineRedeemLimitHours: 'offline_redeem_limit_hours',
  phoneRegion: 'phone_region',
  englishLocale: 'english_locale',
} as const;

/** Validates everything before touching the database, so bad input writes nothing. */
export async function updateBrandTillSettings(
  db: Knex,
  deps: { clock: Clock },
  brandId: string,
  input: unknown,
): Promise<BrandView> {
  const data = parseInput(BrandTillSettingsInput, input);
  const update: Record<string, number | string | null> = {};
  for (const [key, column] of Object.entries(COLUMNS)) {
    const value = data[key as keyof typeof COLUMNS];
    if (value !== undefined) update[column] = value;
  }
  const urls = data.conversationUrls;
  if (urls?.line !== undefined) update.conversation_url_line = urls.line;
  if (urls?.whatsapp !== undefined) update.conversation_url_whatsapp = urls.whatsapp;
  if (data.updates?.rolloutPercent !== undefined) update.update_rollout_percent = data.updates.rolloutPercent;
  if (data.updates?.window) {
    update.update_window_start = data.updates.window.start;
    update.update_window_end = data.updates.window.end;
  }
  return inTransaction(db, async (trx) => {
    await requireBrand(trx, brandId);
    await trx('brands').where({ id: brandId }).update(update);
    const row = (await trx('brands').where({ id: brandId }).first()) as Record<string, unknown>;
    await recordChange(trx, {
      brandId,
      scopes: ['brand'],
      entity: 'brand',
      id: brandId,
      op: 'upsert',
      data: await brandRowOf(trx, row), // with the channel handles consoles draw QR codes from
      at: deps.clock.now(),
    });
    return toBrandView(row);
  });
}
