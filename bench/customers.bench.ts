/**
 * customers: a sales manager's bound-customer lists on a console (issue #5).
 *
 * - customers.search_p99_ms: one search of the team list of 100,000 cached customers through the
 *   console core (dispatch('customers.search'): contract validation, the handler, search.ts), a
 *   page of 50 with the total count, p99 over a seeded mix of queries — partial Chinese names
 *   (surname, given name, both), partial English names, phones typed as '0912 345 678',
 *   '+886912345678' and '9123 4567', a channel filter with and without a name, browsing pages
 *   with no search, and names nobody has. Baseline: the bare indexed lookup of one customer of the
 *   same list (`SELECT data FROM customer_list WHERE stream = ? AND id = ?`, prepared, on its own
 *   connection), p99, sampled alternately with the searches. Target ≤ 30 ms. The list does not
 *   change meanwhile: the warm-up's first search reads it into the search's in-memory copy
 *   (customers/search.ts), which the first search after each change to the list reads again
 *   (~150–200 ms for 100,000).
 * - customers.first_sync_s, customers.first_sync_progress_gap_ms: see customersSync.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import type { ConsoleInput } from '../electron/core/consoleApi/contract';
import { mulberry32 } from '../electron/testing/faults/prng';
import { createConsoleCore } from '../electron/core/index';
import { createKeyfileSecretStore } from '../electron/core/secrets/keyfile';
import { DB_FILE_NAME } from '../electron/core/store/db';
import { BENCH_MANAGER, benchCustomers, type BenchCustomer } from './customersData';
import { seedCustomerStore, TEAM_STREAM } from './customersStore';
import { measureFirstSync } from './customersSync';
import { p99 } from './till.bench';
import type { BenchGroup, BenchResult } from './types';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 100_000);
const SEARCHES = 600;
const WARMUP = 60;
const PAGE = 50;

type Search = ConsoleInput<'customers.search'>;

/** '+886912345678' → '0912 345 678', as a Taiwanese number is written at home. */
const twLocal = (e164: string): string => {
  const n = e164.slice(4);
  return `0${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`;
};
/** '+85291234567' → '9123 4567'. */
const hkLocal = (e164: string): string => `${e164.slice(4, 8)} ${e164.slice(8)}`;

/** The seeded query mix (the same every run), each query made from a customer of the list. */
function searchMix(customers: readonly BenchCustomer[], count: number): Search[] {
  const prng = mulberry32(5);
  const any = (accept: (c: BenchCustomer) => boolean): BenchCustomer => {
    for (;;) {
      const c = customers[prng.int(0, customers.length - 1)]!;
      if (accept(c)) return c;
    }
  };
  const chinese = (c: BenchCustomer) => /^[\u4e00-\u9fff]+$/.test(c.row.display_name);
  const phoneIn = (prefix: string) => (c: BenchCustomer) => !!c.row.phone?.startsWith(prefix);
  /** A stretch of an English name from a word start, as typed: "Chan", "ka y", "emil". */
  const englishPart = (): string => {
    const name = any((c) => !chinese(c)).row.display_name;
    const starts = [0, ...[...name.matchAll(/ /g)].map((m) => m.index + 1)];
    const from = starts[prng.int(0, starts.length - 1)]!;
    const part = name.slice(from, from + prng.int(3, 6)).trimEnd();
    return prng.int(0, 1) ? part.toLowerCase() : part;
  };
  const chinesePart = (): string => {
    const name = any(chinese).row.display_name;
    return [name.slice(0, 1), name.slice(1), name.slice(0, 2)][prng.int(0, 2)]!;
  };
  const page = (pages: number) => PAGE * prng.int(0, pages - 1);
  const channel = (): 'line' | 'whatsapp' => (prng.int(0, 1) ? 'line' : 'whatsapp');
  const kinds: (() => Search)[] = [
    () => ({ search: chinesePart() }),
    () => ({ search: chinesePart(), offset: page(3) }),
    () => ({ search: englishPart() }),
    () => ({ search: englishPart(), offset: page(3) }),
    () => ({ search: twLocal(any(phoneIn('+886')).row.phone!) }),
    () => ({ search: any((c) => c.row.phone !== null).row.phone! }),
    () => ({ search: hkLocal(any(phoneIn('+852')).row.phone!) }),
    () => ({ channel: channel() }),
    () => ({ channel: channel(), search: prng.int(0, 1) ? chinesePart() : englishPart() }),
    () => ({ offset: page(40) }),
    () => ({ search: ['Smyth', '歐陽', 'zz', '0800 000 000'][prng.int(0, 3)]! }),
  ];
  return Array.from({ length: count }, (_, i) => ({
    list: 'team',
    channel: 'all',
    search: '',
    limit: PAGE,
    offset: 0,
    ...kinds[i % kinds.length]!(),
  }));
}

/** The bare indexed lookup: a prepared statement on a second, read-only connection. */
function bareLookup(dataDir: string, ids: readonly string[]): { lookup(): void; close(): void } {
  const db = new Database(path.join(dataDir, DB_FILE_NAME), { readonly: true });
  const statement = db.prepare('SELECT data FROM customer_list WHERE stream = ? AND id = ?');
  let i = 0;
  return {
    lookup() {
      const row = statement.get(TEAM_STREAM, ids[i++ % ids.length]) as { data: string } | undefined;
      if (!row) throw new Error('bench customer missing');
      JSON.parse(row.data);
    },
    close: () => db.close(),
  };
}

async function searchP99(): Promise<BenchResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'omo-bench-customers-'));
  try {
    const customers = benchCustomers(CUSTOMERS, new Date());
    const seeded = performance.now();
    await seedCustomerStore(dir, customers);
    console.log(
      `customers: ${CUSTOMERS.toLocaleString('en')} customers cached in ${((performance.now() - seeded) / 1000).toFixed(1)} s`,
    );
    const queries = searchMix(customers, WARMUP + SEARCHES);
    const prng = mulberry32(9);
    const lookupIds = queries.map(() => customers[prng.int(0, customers.length - 1)]!.row.id);
    const bare = bareLookup(dir, lookupIds);
    const core = await createConsoleCore({
      dataDir: dir,
      secretStore: createKeyfileSecretStore(dir),
      host: 'web',
      appVersion: '0.0.0-bench',
      logger: pino({ level: 'silent' }),
    });
    try {
      const signIn = await core.dispatch('session.signIn', {
        staffCode: BENCH_MANAGER.staffCode,
        pin: BENCH_MANAGER.pin,
      });
      if (!signIn.ok) throw new Error(`sign-in failed: ${signIn.error.code}`);
      const value: number[] = [];
      const baseline: number[] = [];
      // One search, then one bare lookup: both see the same moment of this machine's CPU share.
      for (const [n, query] of queries.entries()) {
        let t = performance.now();
        const result = await core.dispatch('customers.search', query);
        const v = performance.now() - t;
        if (!result.ok) throw new Error(`customers.search failed: ${result.error.code}`);
        t = performance.now();
        bare.lookup();
        const b = performance.now() - t;
        if (n >= WARMUP) {
          value.push(v);
          baseline.push(b);
        }
      }
      return { name: 'customers.search_p99_ms', value: p99(value), unit: 'ms', baseline: p99(baseline) };
    } finally {
      await core.close();
      bare.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const customers: BenchGroup = {
  name: 'customers',
  async run() {
    return [await searchP99(), ...(await measureFirstSync())];
  },
};

export default customers;
