/**
 * A SecretStore for the web host (no Electron safeStorage there): AES-256-GCM with a random key
 * kept in `<dataDir>/device.key`, readable by the owner only. It keeps the device token out of
 * console.sqlite (a copied or backed-up database alone does not carry the credential); it is not
 * a defence against someone who can read the whole data folder as this user.
 * Sealed format: `k1:<base64 iv(12) | tag(16) | ciphertext>`.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { SecretStore } from '../index';

export const KEY_FILE_NAME = 'device.key';
const KEY_LENGTH = 32;
const IV_LENGTH = 12;
const TAG_LENGTH = 16;
const PREFIX = 'k1:';

export function createKeyfileSecretStore(dataDir: string): SecretStore {
  const key = loadOrCreateKey(dataDir);
  return {
    kind: 'keyfile',
    seal(plain) {
      const iv = randomBytes(IV_LENGTH);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64');
    },
    open(sealed) {
      if (!sealed.startsWith(PREFIX)) throw new Error('Sealed secret has an unknown format');
      const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_LENGTH));
      decipher.setAuthTag(raw.subarray(IV_LENGTH, IV_LENGTH + TAG_LENGTH));
      return Buffer.concat([
        decipher.update(raw.subarray(IV_LENGTH + TAG_LENGTH)),
        decipher.final(),
      ]).toString('utf8');
    },
  };
}

function loadOrCreateKey(dataDir: string): Buffer {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, KEY_FILE_NAME);
  try {
    // 'wx': create only if absent, so two starts can never overwrite each other's key.
    const key = randomBytes(KEY_LENGTH);
    writeFileSync(file, key, { flag: 'wx', mode: 0o600 });
    chmodSync(file, 0o600); // the umask may have removed bits, never added; make it exact anyway
    return key;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const key = readFileSync(file);
  if (key.length !== KEY_LENGTH) throw new Error(`${file} is not a ${KEY_LENGTH}-byte key`);
  return key;
}
