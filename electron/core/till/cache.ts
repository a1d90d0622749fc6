/**
 * In-memory copies of what the till reads on every scan and every redemption but what changes
 * only with a pull or an enrollment: this device's identity (`meta`), its brand's till rules (the
 * `brand` row) and the names of its branch and device (the `branches` and `devices` mirrors).
 * Reading them once instead of per transaction takes them off the redemption's commit path.
 *
 * One cache per console database (keyed by its knex instance). It is dropped when a pulled page
 * carries a brand, branch or device change (the till's sync hook calls `invalidateTillCache`) —
 * which includes the first pull after an enrollment, since enrolling announces the device. Only a
 * complete identity is cached: "not enrolled" is asked again every time, so enrolling needs no
 * signal of its own. `offlineSince` is NOT cached: the sync status rewrites it on every
 * connect and disconnect, outside any pull.
 *
 * A fill that started before an invalidation is not stored (generation check), so a read that
 * raced a pull cannot put stale values back.
 */
import type { Knex } from 'knex';
import { AppError, ErrorCode } from '../../../backend-sync/domain/errors';
import type { BrandRow } from '../../../backend-sync/protocol';
import type { DeviceIdentity } from './lookups';
import { DEFAULT_RULES, rulesOf, type TillRules } from './rules';

type Db = Knex | Knex.Transaction;

/** What the till shows for this device's branch and device: the mirrors' names, null when not synced. */
export interface PlaceNames {
  branchName: string | null;
  deviceName: string | null;
}

interface CacheEntry {
  generation: number;
  identity: DeviceIdentity | null;
  rules: { brandId: string; rules: TillRules } | null;
  names: { of: DeviceIdentity; names: PlaceNames } | null;
}

const caches = new WeakMap<Knex, CacheEntry>();

function entryOf(root: Knex): CacheEntry {
  let entry = caches.get(root);
  if (!entry) {
    entry = { generation: 0, identity: null, rules: null, names: null };
    caches.set(root, entry);
  }
  return entry;
}

/** Forget everything cached for this database (a pull changed the brand, a branch or a device). */
export function invalidateTillCache(root: Knex): void {
  const entry = entryOf(root);
  entry.generation += 1;
  entry.identity = null;
  entry.rules = null;
  entry.names = null;
}

/**
 * This device's identity, or null before enrollment. `root` keys the cache; `q` (the root or a
 * transaction on it) does the reading when the cache is cold.
 */
export async function cachedIdentity(root: Knex, q: Db = root): Promise<DeviceIdentity | null> {
  const entry = entryOf(root);
  if (entry.identity) return entry.identity;
  const generation = entry.generation;
  const rows = (await q('meta')
    .whereIn('key', ['deviceId', 'brandId', 'branchId'])
    .select('key', 'value')) as { key: keyof DeviceIdentity; value: string }[];
  const meta = Object.fromEntries(rows.map((r) => [r.key, r.value])) as Partial<DeviceIdentity>;
  if (!meta.deviceId || !meta.brandId || !meta.branchId) return null;
  const identity: DeviceIdentity = {
    deviceId: meta.deviceId,
    brandId: meta.brandId,
    branchId: meta.branchId,
  };
  if (entry.generation === generation) entry.identity = identity;
  return identity;
}

/** As `cachedIdentity`, but an unenrolled console is an error. */
export async function requireIdentity(root: Knex, q: Db = root): Promise<DeviceIdentity> {
  const identity = await cachedIdentity(root, q);
  if (!identity) throw new AppError(ErrorCode.NOT_ENROLLED, 'This console is not enrolled yet.');
  return identity;
}

/** The brand's till rules, with the documented defaults until the brand row has synced. */
export async function cachedRules(root: Knex, brandId: string, q: Db = root): Promise<TillRules> {
  const entry = entryOf(root);
  if (entry.rules?.brandId === brandId) return entry.rules.rules;
  const generation = entry.generation;
  const row = (await q('brand').where({ id: brandId }).first('data')) as { data: string } | undefined;
  const rules = row ? rulesOf(JSON.parse(row.data) as Partial<BrandRow>) : DEFAULT_RULES;
  // Defaults are not cached: the brand row is still to come, and its arrival invalidates anyway.
  if (row && entry.generation === generation) entry.rules = { brandId, rules };
  return rules;
}

/** The names of this device's branch and device as the mirrors hold them. */
export async function cachedPlaceNames(
  root: Knex,
  identity: DeviceIdentity,
  q: Db = root,
): Promise<PlaceNames> {
  const entry = entryOf(root);
  if (entry.names?.of === identity) return entry.names.names;
  const generation = entry.generation;
  const [branch, device] = (await Promise.all([
    q('branches').where({ id: identity.branchId }).first('name'),
    q('devices').where({ id: identity.deviceId }).first('name'),
  ])) as ({ name: string } | undefined)[];
  const names: PlaceNames = { branchName: branch?.name ?? null, deviceName: device?.name ?? null };
  // Like the rules: a name still to come is not cached (its arrival invalidates anyway).
  if (branch && device && entry.generation === generation) entry.names = { of: identity, names };
  return names;
}
