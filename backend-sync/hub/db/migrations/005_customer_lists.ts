/**
 * Bound-customer lists (and broadcasts):
 * - customers replicate to the associate's session ('staff:<id>') and the branch's team list
 *   ('team:<branchId>'), no longer to every device of the branch: earlier customer change rows
 *   are replaced by rows in the new scopes;
 * - staff sessions opened by consoles (only a token's hash is kept);
 * - transfer setting, phone region and conversation links; WhatsApp templates per channel;
 * - broadcasts and their recipients (one row per customer: nobody gets a broadcast twice).
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('binding_settings', (t) => {
    t.boolean('allow_transfer').notNullable().defaultTo(false);
  });
  await knex.schema.alterTable('brands', (t) => {
    t.string('phone_region').notNullable().defaultTo('HK');
    t.string('conversation_url_line').nullable();
    t.string('conversation_url_whatsapp').nullable();
  });
  await knex.schema.alterTable('channels', (t) => {
    /** JSON: [{ name, language, preview }] — approved templates a broadcast may use. */
    t.text('wa_templates').nullable();
  });
  await knex.schema.alterTable('customers', (t) => {
    t.index(['bound_staff_id', 'channel']);
    t.index(['bound_branch_id']);
  });
  await knex.schema.alterTable('binding_history', (t) => {
    t.index(['customer_id']);
  });

  await knex.schema.createTable('staff_sessions', (t) => {
    t.string('token_hash').primary();
    t.string('staff_id').notNullable().references('staff.id');
    t.string('device_id').notNullable().references('devices.id');
    t.string('created_at').notNullable();
    t.string('expires_at').notNullable();
    t.index(['device_id']);
  });

  await knex.schema.createTable('broadcasts', (t) => {
    /** The device-made mutation id: a retried request finds its broadcast. */
    t.string('id').primary();
    t.string('brand_id').notNullable().references('brands.id');
    t.string('staff_id').notNullable().references('staff.id');
    t.string('device_id').notNullable();
    t.string('channel').notNullable();
    t.text('text').nullable();
    t.text('template').nullable();
    t.string('state').notNullable(); // sending | done
    t.integer('total').notNullable();
    t.integer('sent').notNullable().defaultTo(0);
    t.integer('failed').notNullable().defaultTo(0);
    t.string('requested_at').notNullable();
    t.string('updated_at').notNullable();
    t.index(['state']);
  });

  await knex.schema.createTable('broadcast_recipients', (t) => {
    t.string('broadcast_id').notNullable().references('broadcasts.id');
    t.string('customer_id').notNullable().references('customers.id');
    t.string('outbound_id').nullable();
    t.primary(['broadcast_id', 'customer_id']);
  });
  await knex.schema.alterTable('outbound_messages', (t) => {
    t.string('broadcast_id').nullable();
    t.index(['broadcast_id']);
  });

  // Re-scope what consoles have been told about customers: from 'branch:<id>' to the associate's
  // and the team's lists. Devices pulling 'device' no longer receive customers at all.
  await knex('changes').where({ entity: 'customer' }).delete();
  const bound = (await knex('customers').whereNotNull('bound_staff_id')) as Record<string, unknown>[];
  const now = new Date().toISOString();
  for (const c of bound) {
    const data = JSON.stringify({
      id: c.id,
      brandId: c.brand_id,
      channel: c.channel,
      displayName: c.display_name,
      phone: c.phone ?? null,
      avatarUrl: c.avatar_url ?? null,
      boundStaffId: c.bound_staff_id,
      boundBranchId: c.bound_branch_id ?? null,
      boundAt: c.bound_at ?? null,
      channelUserId: c.channel_user_id,
    });
    const scopes = [`staff:${String(c.bound_staff_id)}`];
    if (c.bound_branch_id) scopes.push(`team:${String(c.bound_branch_id)}`);
    await knex('changes').insert(
      scopes.map((scope) => ({
        brand_id: c.brand_id,
        scope,
        entity: 'customer',
        entity_id: c.id,
        op: 'upsert',
        data,
        created_at: now,
      })),
    );
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('outbound_messages', (t) => {
    t.dropIndex(['broadcast_id']);
    t.dropColumn('broadcast_id');
  });
  await knex.schema.dropTable('broadcast_recipients');
  await knex.schema.dropTable('broadcasts');
  await knex.schema.dropTable('staff_sessions');
  await knex.schema.alterTable('binding_history', (t) => t.dropIndex(['customer_id']));
  await knex.schema.alterTable('customers', (t) => {
    t.dropIndex(['bound_staff_id', 'channel']);
    t.dropIndex(['bound_branch_id']);
  });
  await knex.schema.alterTable('channels', (t) => t.dropColumn('wa_templates'));
  await knex.schema.alterTable('brands', (t) => {
    t.dropColumn('phone_region');
    t.dropColumn('conversation_url_line');
    t.dropColumn('conversation_url_whatsapp');
  });
  await knex.schema.alterTable('binding_settings', (t) => t.dropColumn('allow_transfer'));
}
