import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { openConsoleDb, DB_FILE_NAME } from '../store/db';
import { setMeta } from '../store/meta';
import { writeTransaction } from '../store/transaction';
import { tempDir } from '../../testing/temp';
import { createKeyfileSecretStore, KEY_FILE_NAME } from './keyfile';

describe('keyfile secret store', () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  it('round-trips a secret, with a key file only its owner can read', () => {
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const store = createKeyfileSecretStore(tmp.dir);
    expect(store.kind).toBe('keyfile');
    const sealed = store.seal('device-token-123');
    expect(sealed).not.toContain('device-token-123');
    expect(store.open(sealed)).toBe('device-token-123');
    // Sealing twice gives different text (fresh IV), both open.
    expect(store.seal('device-token-123')).not.toBe(sealed);

    const keyFile = path.join(tmp.dir, KEY_FILE_NAME);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    // A second start reads the same key.
    expect(createKeyfileSecretStore(tmp.dir).open(sealed)).toBe('device-token-123');
  });

  it('cannot open with another key, nor a tampered text', () => {
    const a = tempDir();
    const b = tempDir();
    cleanups.push(a.remove, b.remove);
    const sealed = createKeyfileSecretStore(a.dir).seal('secret');
    expect(() => createKeyfileSecretStore(b.dir).open(sealed)).toThrow();
    const tampered = sealed.slice(0, -4) + (sealed.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect(() => createKeyfileSecretStore(a.dir).open(tampered)).toThrow();
  });

  it('keeps the token out of console.sqlite in plain text', async () => {
    const tmp = tempDir();
    const db: Knex = await openConsoleDb({ dataDir: tmp.dir });
    cleanups.push(tmp.remove, () => db.destroy());
    const token = 'TOKEN-' + 'x7Q'.repeat(10);
    const store = createKeyfileSecretStore(tmp.dir);
    await writeTransaction(db, (trx) => setMeta(trx, { sealedDeviceToken: store.seal(token) }));
    await db.raw('PRAGMA wal_checkpoint(TRUNCATE)');
    for (const file of [DB_FILE_NAME, `${DB_FILE_NAME}-wal`]) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(path.join(tmp.dir, file));
      } catch {
        continue;
      }
      expect(bytes.includes(Buffer.from(token))).toBe(false);
    }
  });
});
