/**
 * Channel secrets at rest (issue 18): AES-256-GCM under a key from the hub's environment, so a
 * database copy or a backup holds no usable secret. HUB_SECRET_KEY is a comma-separated list of
 * keys, the first one current: to rotate, put the new key first and keep the old one after it;
 * the hub re-seals every row with the current key at start (sealChannelSecrets), after which the
 * old key may go. Each ciphertext names its key by a short fingerprint:
 *   enc:v1:<key id>:<iv>:<tag>:<ciphertext>   (base64url parts)
 * A value without the prefix is a row written before encryption: it still opens, and the next
 * start seals it.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';

const PREFIX = 'enc:v1:';
export const SECRET_COLUMNS = [
  'line_channel_secret',
  'line_access_token',
  'wa_app_secret',
  'wa_verify_token',
  'wa_access_token',
] as const;

interface Key {
  id: string;
  bytes: Buffer;
}

/** Any string becomes a 256-bit key through SHA-256; its id is a fingerprint of that, not the key. */
function keyOf(secret: string): Key {
  const bytes = createHash('sha256').update(`omo-hub-secret-key:${secret}`, 'utf8').digest();
  return { id: createHash('sha256').update(bytes).digest('hex').slice(0, 12), bytes };
}

/**
 * Every key configured in this process (a test runs several hubs), the current one last set.
 * Module state because channel rows are turned into channels (store.ts) in many places that have
 * no hub at hand; keys are only ever added.
 */
const known = new Map<string, Key>();
let current: Key | null = null;

/** Installs the keys (current first). Throws on an empty list: secrets must never be stored plain. */
export function useSecretKeys(secrets: readonly string[]): void {
  const keys = secrets.map((s) => s.trim()).filter((s) => s.length > 0);
  if (keys.length === 0) throw new Error('HUB_SECRET_KEY holds no key.');
  for (const secret of keys) {
    const key = keyOf(secret);
    known.set(key.id, key);
  }
  current = keyOf(keys[0]!);
}

export const isSealed = (value: string): boolean => value.startsWith(PREFIX);

/**
 * A key for another use of the hub's secret (e.g. staff/pinCheck.ts), derived from the current
 * key so it changes when the key rotates; `id` tells which key made a value. Null before a hub
 * installed its keys (catalog code run on its own).
 */
export function derivedKey(purpose: string): Key | null {
  if (!current) return null;
  return { id: current.id, bytes: createHmac('sha256', current.bytes).update(purpose, 'utf8').digest() };
}

export function seal(plain: string): string {
  if (!current) throw new Error('No secret key configured (HUB_SECRET_KEY).');
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', current.bytes, iv);
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return `${PREFIX}${current.id}:${iv.toString('base64url')}:${cipher.getAuthTag().toString('base64url')}:${data.toString('base64url')}`;
}

/** The plain secret; '' when the key that sealed it is not configured or the value was tampered with. */
export function open(stored: string): string {
  if (!isSealed(stored)) return stored;
  const [keyId, iv, tag, data] = stored.slice(PREFIX.length).split(':');
  const key = keyId ? known.get(keyId) : undefined;
  if (!key || !iv || !tag || data === undefined) return '';
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.bytes, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    return '';
  }
}

const needsSealing = (value: unknown): value is string =>
  typeof value === 'string' &&
  value.length > 0 &&
  (!isSealed(value) || !value.startsWith(`${PREFIX}${current?.id}:`));

/**
 * Seals every plain secret and re-seals every one under an older key, in one transaction. A value
 * whose key is not configured is left as it is (and reads as unset) rather than destroyed.
 */
export async function sealChannelSecrets(db: Knex): Promise<number> {
  return db.transaction(async (trx) => {
    let changed = 0;
    const rows: Record<string, unknown>[] = await trx('channels').select('id', ...SECRET_COLUMNS);
    for (const row of rows) {
      const update: Record<string, string> = {};
      for (const column of SECRET_COLUMNS) {
        const value = row[column];
        if (!needsSealing(value)) continue;
        const plain = open(value);
        if (isSealed(value) && plain === '') continue;
        update[column] = seal(plain);
      }
      if (Object.keys(update).length > 0) {
        await trx('channels').where({ id: row.id }).update(update);
        changed++;
      }
    }
    return changed;
  });
}

export const KEY_FILE = 'hub-secret.key';

/**
 * Without HUB_SECRET_KEY the hub keeps a random key in <data>/hub-secret.key (mode 0600), made at
 * first start, so a lone SQLite hub still never stores a secret in plain. Production sets the
 * variable and keeps the key out of the data folder's backups.
 */
export function keyFromDataDir(dataDir: string): string {
  const file = path.join(dataDir, KEY_FILE);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
  }
  return readFileSync(file, 'utf8').trim();
}
