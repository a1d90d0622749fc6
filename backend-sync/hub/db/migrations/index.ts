/**
 * Migrations are listed in code (not discovered on disk) so they work the same under tsx,
 * vitest and a bundled build. Append new ones; never edit one that has shipped.
 */
import type { Knex } from 'knex';
import * as m001 from './001_initial';
import * as m002 from './002_till_conflicts';
import * as m003 from './003_channels';
import * as m004 from './004_claim_staff_name';
import * as m005 from './005_customer_lists';
import * as m006 from './006_changes_brand_seq';
import * as m007 from './007_outbound_attempts';
import * as m008 from './008_pin_lockouts';
import * as m010 from './010_admin_accounts';
import * as m011 from './011_audit_log';
import * as m021 from './021_update_settings';
import * as m022 from './022_english_locale';
import * as m030 from './030_back_office';
import * as m040 from './040_device_time';
import * as m045 from './045_sign_ins';
import * as m046 from './046_hub_epoch';
import * as m047 from './047_device_replaces';
import * as m048 from './048_sign_ins_from_history';
import * as m050 from './050_changes_entity_index';
import * as m051 from './051_staff_pin_check';
import * as m055 from './055_changes_commit_order';
import * as m056 from './056_changes_entity_index';

const migrations: Record<string, Knex.Migration> = {
  '001_initial': m001,
  '002_till_conflicts': m002,
  '003_channels': m003,
  '004_claim_staff_name': m004,
  '005_customer_lists': m005,
  '006_changes_brand_seq': m006,
  '007_outbound_attempts': m007,
  '008_pin_lockouts': m008,
  '010_admin_accounts': m010,
  '011_audit_log': m011,
  '021_update_settings': m021,
  '022_english_locale': m022,
  '030_back_office': m030,
  '040_device_time': m040,
  '045_sign_ins': m045,
  '046_hub_epoch': m046,
  '047_device_replaces': m047,
  '048_sign_ins_from_history': m048,
  '050_changes_entity_index': m050,
  '051_staff_pin_check': m051,
  '055_changes_commit_order': m055,
  '056_changes_entity_index': m056,
};

export const hubMigrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations),
  getMigrationName: (name) => name,
  getMigration: async (name) => migrations[name]!,
};
