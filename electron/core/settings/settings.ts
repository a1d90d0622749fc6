/** Console settings kept in `meta`: for now the interface language (zh-TW unless changed). */
import type { Knex } from 'knex';
import { Locale, type Settings } from '../consoleApi/contract';
import { getMeta, setMeta } from '../store/meta';
import { writeTransaction } from '../store/transaction';

export const DEFAULT_LOCALE: Locale = 'zh-TW';

export function createSettings(db: Knex) {
  async function get(): Promise<Settings> {
    const stored = Locale.safeParse(await getMeta(db, 'locale'));
    return { locale: stored.success ? stored.data : DEFAULT_LOCALE };
  }

  async function update(patch: Partial<Settings>): Promise<Settings> {
    if (patch.locale) {
      const locale = patch.locale;
      await writeTransaction(db, (trx) => setMeta(trx, { locale }));
    }
    return get();
  }

  return { get, update };
}
