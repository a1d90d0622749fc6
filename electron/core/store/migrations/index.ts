/**
 * Local migrations, listed in code (not discovered on disk) so they run the same under tsx,
 * vitest and the bundled Electron main. Append new ones; never edit one that has shipped.
 */
import type { Knex } from 'knex';
import * as m001 from './001_initial';
import * as m002 from './002_till';
import * as m003 from './003_customer_lists';
import * as m004 from './004_customer_search';
import * as m005 from './005_lean_till_redemptions';
import * as m006 from './006_lean_outbox';
import * as m015 from './015_outbox_requeue';
import * as m016 from './016_outbox_sign_in_ids';

const migrations: Record<string, Knex.Migration> = {
  '001_initial': m001,
  '002_till': m002,
  '003_customer_lists': m003,
  '004_customer_search': m004,
  '005_lean_till_redemptions': m005,
  '006_lean_outbox': m006,
  '015_outbox_requeue': m015,
  '016_outbox_sign_in_ids': m016,
};

export const consoleMigrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations),
  getMigrationName: (name) => name,
  getMigration: async (name) => migrations[name]!,
};
