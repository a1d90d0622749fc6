/** Typed access to the `meta` key/value table. */
import type { Knex } from 'knex';

export type MetaKey =
  | 'hubUrl'
  | 'deviceId'
  | 'deviceName'
  | 'brandId'
  | 'brandName'
  /** The brand's time zone as enrollment answered it (the brand mirror's, once pulled, wins). */
  | 'brandTimeZone'
  | 'branchId'
  | 'branchName'
  /** The device token, sealed by the SecretStore; never stored in plain. */
  | 'sealedDeviceToken'
  /** The device this console left, kept while changes of it wait unsent (enrollment.ts leave). */
  | 'previousDeviceId'
  | 'previousSealedDeviceToken'
  | 'enrolledAt'
  /** Last change seq stored (pull cursor). */
  | 'cursor'
  /** Set once the first pull after enrollment has caught up. */
  | 'firstSyncDone'
  | 'lastSyncAt'
  | 'offlineSince'
  /** The hub database id and restore generation last met (`<id>:<generation>`, sync/epoch.ts). */
  | 'hubEpoch'
  /** Every outbox entry with seq at or below this has the hub's answer (outbox/outbox.ts). */
  | 'outboxAnsweredThrough'
  | 'locale'
  /** Scanner settings (JSON, see scanner/settings.ts). */
  | 'scannerSettings'
  /** The last hub-time anchor and floor (JSON, time/hubClock.ts). */
  | 'hubTimeAnchor'
  /** The last clock warning (JSON ClockWarning, time/hubClock.ts). */
  | 'clockWarning';

type Db = Knex | Knex.Transaction;

export async function getMeta(db: Db, key: MetaKey): Promise<string | null> {
  const row = (await db('meta').where({ key }).first('value')) as { value: string } | undefined;
  return row ? row.value : null;
}

export async function getAllMeta(db: Db): Promise<Partial<Record<MetaKey, string>>> {
  const rows = (await db('meta').select('key', 'value')) as { key: MetaKey; value: string }[];
  return Object.fromEntries(rows.map((r) => [r.key, r.value]));
}

export async function setMeta(db: Db, values: Partial<Record<MetaKey, string | null>>): Promise<void> {
  for (const [key, value] of Object.entries(values)) {
    if (value === null || value === undefined) await db('meta').where({ key }).delete();
    else await db('meta').insert({ key, value }).onConflict('key').merge();
  }
}
