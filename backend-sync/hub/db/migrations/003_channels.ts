/**
 * LINE and WhatsApp channels, OMO binding settings, the webhook inbox, outbound messages and the
 * WhatsApp customer-service window.
 *
 * Channel secrets and access tokens are stored as given (encrypting them at rest is a follow-up);
 * the admin API never returns them and the logger redacts them.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('channels', (t) => {
    t.string('id').primary();
    t.string('brand_id').notNullable().references('brands.id');
    t.string('kind').notNullable(); // line | whatsapp
    t.string('name').notNullable();
    // LINE
    t.string('line_channel_id').nullable();
    /** The bot's user id: a webhook's `destination`. */
    t.string('line_destination').nullable().unique();
    t.string('line_channel_secret').nullable();
    t.text('line_access_token').nullable();
    t.string('line_basic_id').nullable();
    // WhatsApp
    t.string('wa_phone_number_id').nullable().unique();
    t.string('wa_display_number').nullable();
    t.string('wa_business_account_id').nullable();
    t.string('wa_app_secret').nullable();
    t.string('wa_verify_token').nullable();
    t.text('wa_access_token').nullable();
    t.string('created_at').notNullable();
    t.string('updated_at').notNullable();
    t.index(['brand_id']);
  });

  /** Replies are JSON: { kind: 'text', text } or { kind: 'module', messages: [...] }. */
  await knex.schema.createTable('binding_settings', (t) => {
    t.string('brand_id').primary().references('brands.id');
    t.string('mode').notNullable().defaultTo('fixed');
    t.string('prefix').notNullable().defaultTo('聯絡專員');
    t.string('suffix').notNullable().defaultTo('');
    t.text('success_message').notNullable();
    t.text('repeat_message').notNullable();
    t.text('default_reply').nullable();
    t.string('updated_at').notNullable();
  });

  await knex.schema.createTable('binding_branch_messages', (t) => {
    t.string('branch_id').primary().references('branches.id');
    t.string('brand_id').notNullable().references('brands.id');
    t.text('success_message').notNullable();
    t.string('updated_at').notNullable();
  });

  /** Every webhook event, once (UNIQUE platform + key), kept until processed and after. */
  await knex.schema.createTable('webhook_inbox', (t) => {
    t.increments('id').primary();
    t.string('platform').notNullable(); // line | whatsapp
    /** LINE webhookEventId; WhatsApp message id, or `status:<id>:<status>`. */
    t.string('event_key').notNullable();
    t.string('channel_id').notNullable();
    t.string('kind').notNullable(); // message | follow | unfollow | status | …
    t.text('payload').notNullable();
    t.string('received_at').notNullable();
    t.string('processed_at').nullable();
    t.integer('attempts').notNullable().defaultTo(0);
    t.text('error').nullable();
    t.unique(['platform', 'event_key']);
    t.index(['processed_at', 'id']);
  });

  await knex.schema.createTable('outbound_messages', (t) => {
    t.string('id').primary();
    t.string('brand_id').notNullable();
    t.string('channel_id').notNullable();
    t.string('customer_id').nullable();
    /** LINE user id(s) (JSON list for multicast), WhatsApp wa_id, or the reply token's user. */
    t.text('recipient').notNullable();
    t.string('kind').notNullable(); // reply | push | multicast | text | template
    t.text('body').notNullable(); // JSON, as sent to the platform
    t.string('reply_token').nullable();
    /** X-Line-Retry-Key: one per message, reused on every attempt. */
    t.string('retry_key').notNullable();
    t.string('status').notNullable(); // queued | sent | failed | delivered | read
    t.integer('attempts').notNullable().defaultTo(0);
    t.string('next_attempt_at').nullable();
    t.text('error').nullable();
    t.string('error_code').nullable();
    /** WhatsApp wamid / LINE sent message id. */
    t.string('platform_message_id').nullable();
    t.integer('source_inbox_id').nullable();
    t.string('created_at').notNullable();
    t.string('sent_at').nullable();
    t.string('delivered_at').nullable();
    t.string('read_at').nullable();
    t.string('failed_at').nullable();
    t.index(['status', 'created_at']);
    t.index(['platform_message_id']);
  });

  /** WhatsApp's 24-hour customer-service window opens with each inbound message. */
  await knex.schema.createTable('whatsapp_windows', (t) => {
    t.string('channel_id').notNullable();
    t.string('wa_id').notNullable();
    t.string('customer_id').nullable();
    t.string('last_inbound_at').notNullable();
    t.primary(['channel_id', 'wa_id']);
  });

  await knex.schema.alterTable('customers', (t) => {
    /** LINE unfollow (blocked the account); cleared by a follow. */
    t.string('unfollowed_at').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('customers', (t) => {
    t.dropColumn('unfollowed_at');
  });
  for (const table of [
    'whatsapp_windows',
    'outbound_messages',
    'webhook_inbox',
    'binding_branch_messages',
    'binding_settings',
    'channels',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
}
