/**
 * The brand's locale for English screens (`en-HK`, `en-GB`, `en-US`, …): how a console shows
 * dates when its language is English (day or month first). zh-TW screens stay zh-TW. Existing
 * brands get en-HK, the day-first order consoles used before it was a setting. Replicated in the
 * brand row (protocol BrandRow.englishLocale).
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('brands', (t) => {
    t.string('english_locale').notNullable().defaultTo('en-HK');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('brands', (t) => {
    t.dropColumn('english_locale');
  });
}
