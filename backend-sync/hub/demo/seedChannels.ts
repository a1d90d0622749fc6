/**
 * The demo brand's LINE and WhatsApp channels and binding settings (demo/channels.ts). Runs on
 * every demo start and only adds what is missing, so a demo database made before channels
 * existed gets them too, and settings changed through the admin API are kept.
 */
import type { Knex } from 'knex';
import type { CatalogDeps } from '../services/common';
import { recordBrandRow } from '../binding/brandRow';
import { BindingSettingsInput, saveBindingSettings } from '../binding/settings';
import { DEMO_BINDING_SETTINGS, DEMO_LINE_CHANNEL, DEMO_WHATSAPP_CHANNEL } from './channels';

export async function ensureDemoChannels(
  trx: Knex.Transaction,
  deps: CatalogDeps,
  brandId: string,
): Promise<void> {
  const at = deps.clock.now().toISOString();
  let added = false;
  const line = DEMO_LINE_CHANNEL;
  if (!(await trx('channels').where({ kind: 'line', line_destination: line.destination }).first())) {
    await trx('channels').insert({
      id: deps.ids(),
      brand_id: brandId,
      kind: 'line',
      name: line.name,
      line_channel_id: line.channelId,
      line_destination: line.destination,
      line_channel_secret: line.channelSecret,
      line_access_token: line.accessToken,
      line_basic_id: line.basicId,
      created_at: at,
      updated_at: at,
    });
    added = true;
  }
  const wa = DEMO_WHATSAPP_CHANNEL;
  if (!(await trx('channels').where({ kind: 'whatsapp', wa_phone_number_id: wa.phoneNumberId }).first())) {
    await trx('channels').insert({
      id: deps.ids(),
      brand_id: brandId,
      kind: 'whatsapp',
      name: wa.name,
      wa_phone_number_id: wa.phoneNumberId,
      wa_display_number: wa.displayNumber,
      wa_business_account_id: wa.wabaId,
      wa_app_secret: wa.appSecret,
      wa_verify_token: wa.verifyToken,
      wa_access_token: wa.accessToken,
      wa_templates: JSON.stringify(wa.templates),
      created_at: at,
      updated_at: at,
    });
    added = true;
  }
  if (!(await trx('binding_settings').where({ brand_id: brandId }).first())) {
    await seedSettings(trx, brandId, at);
    added = true;
  }
  // Consoles draw the QR codes from the replicated brand row.
  if (added) await recordBrandRow(trx, brandId, deps.clock.now());
}

async function seedSettings(trx: Knex.Transaction, brandId: string, at: string): Promise<void> {
  const branches: { id: string; code: string }[] = await trx('branches')
    .where({ brand_id: brandId })
    .select('id', 'code');
  const s = DEMO_BINDING_SETTINGS;
  const settings = BindingSettingsInput.parse({
    mode: s.mode,
    prefix: s.prefix,
    suffix: s.suffix,
    successMessage: { kind: 'text', text: s.successMessage },
    repeatMessage: { kind: 'text', text: s.repeatMessage },
    defaultReply: { kind: 'text', text: s.defaultReply },
    branchSuccessMessages: Object.entries(s.branchSuccessMessages).flatMap(([code, text]) => {
      const branch = branches.find((b) => b.code === code);
      return branch ? [{ branchId: branch.id, successMessage: { kind: 'text', text } }] : [];
    }),
  });
  await saveBindingSettings(trx, brandId, settings, at);
}
