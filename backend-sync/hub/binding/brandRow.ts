/**
 * The replicated brand row carries the brand's channel handles and binding prefix/suffix (never a
 * secret), so a console can draw an associate's binding QR codes offline. Whoever
 * changes a channel, the binding settings or the brand itself records the brand row through here.
 */
import type { Knex } from 'knex';
import type { BrandChannels, BrandRow } from '../../protocol';
import { recordChange } from '../db/changes';
import { toBrandRow } from '../db/rows';
import { loadBindingSettings } from './settings';
import { toChannel } from '../channels/store';

type Row = Record<string, unknown>;

/** undefined for a brand with neither channels nor binding settings (nothing to draw yet). */
export async function brandChannelsOf(
  db: Knex | Knex.Transaction,
  brandId: string,
): Promise<BrandChannels | undefined> {
  const channels: Row[] = await db('channels').where({ brand_id: brandId }).orderBy('created_at');
  if (channels.length === 0 && !(await db('binding_settings').where({ brand_id: brandId }).first()))
    return undefined;
  const line = channels.find((c) => c.kind === 'line' && c.line_basic_id);
  const whatsappRow = channels.find((c) => c.kind === 'whatsapp' && c.wa_display_number);
  const whatsapp = whatsappRow ? toChannel(whatsappRow) : null;
  const settings = await loadBindingSettings(db, brandId);
  return {
    line: line ? { basicId: String(line.line_basic_id) } : null,
    whatsapp:
      whatsapp?.kind === 'whatsapp'
        ? {
            phoneNumber: String(whatsapp.displayNumber).replace(/\D/g, ''),
            templates: whatsapp.templates,
          }
        : null,
    bindingPrefix: settings.prefix,
    bindingSuffix: settings.suffix,
  };
}

/** The brand's full replicated row (brand columns + channels). */
export async function brandRowOf(db: Knex | Knex.Transaction, brandRow: Row): Promise<BrandRow> {
  const channels = await brandChannelsOf(db, String(brandRow.id));
  return channels ? { ...toBrandRow(brandRow), channels } : toBrandRow(brandRow);
}

/** Records the brand row (scope 'brand') after a channel or binding-settings change. */
export async function recordBrandRow(trx: Knex.Transaction, brandId: string, at: Date): Promise<void> {
  const row: Row | undefined = await trx('brands').where({ id: brandId }).first();
  if (!row) return;
  await recordChange(trx, {
    brandId,
    scopes: ['brand'],
    entity: 'brand',
    id: brandId,
    op: 'upsert',
    data: await brandRowOf(trx, row),
    at,
  });
}
