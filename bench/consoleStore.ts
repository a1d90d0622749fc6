/**
 * Fills a new console store for a bench: the console's own migrations create the schema, then a
 * plain better-sqlite3 connection with the store's settings writes everything in ONE transaction
 * — meta entries as they are, replicated rows through store/mirrors.ts storeChanges, so every
 * row is exactly what a pull would have stored.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Change, PullStream } from '../backend-sync/protocol';
import { applyPragmas, DB_FILE_NAME, openConsoleDb } from '../electron/core/store/db';
import { storeChanges } from '../electron/core/store/mirrors';

type Upserted<E extends Change['entity']> = Extract<Change, { entity: E; op: 'upsert' }>['data'];

/** A pulled upsert of `row` (benches store rows, not a change log, so the seq is not kept). */
export const upsert = <E extends Change['entity']>(entity: E, row: Upserted<E>): Change =>
  ({ seq: 0, entity, op: 'upsert', id: row.id, data: row }) as Change;

export interface StoreSeeder {
  meta(values: Record<string, string>): void;
  /** Stores these pulled changes as a pull of `stream` would (default: the device stream). */
  rows(changes: readonly Change[], stream?: PullStream): void;
}

export async function seedConsoleStore(dataDir: string, fill: (seed: StoreSeeder) => void): Promise<void> {
  await (await openConsoleDb({ dataDir })).destroy();
  const db = new Database(path.join(dataDir, DB_FILE_NAME));
  try {
    applyPragmas(db);
    const insertMeta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    db.transaction(() =>
      fill({
        meta(values) {
          for (const [key, value] of Object.entries(values)) insertMeta.run(key, value);
        },
        rows: (changes, stream) => storeChanges(db, changes, stream),
      }),
    )();
  } finally {
    db.close();
  }
}
