/**
 * Searching a customer list in the local store (works offline). One term matches a name
 * (partial; NFKC + lower case, so full-width and upper-case input match) or a phone number in any
 * common form (see domain/phone.ts phoneSearch). A term is only ever compared as text, so SQL,
 * HTML, '%' or quotes in a search match literally.
 *
 * Speed (bench customers.search_p99_ms: 100,000 customers, ≤ 30 ms). A "contains" match cannot
 * use an SQL index to find rows: SQLite would read every entry of the list on each search, twice
 * (the page, then the total), ~15 ms a pass on a quiet machine and twice that on a busy one. So
 * each list's search columns (id, channel, name key, phone digits) are kept in memory in list
 * order (newest binding first), and a search is one pass of string comparisons over them (~4 ms
 * for 100,000) that yields the total and the page's ids; only the page's rows are then read, by
 * primary key. The copy is checked against the store on every search: triggers on
 * `customer_list` bump the list's number in `customer_list_versions` with every insert, update
 * and delete (store/migrations/004), and a copy with another number is read again (~150 ms
 * for 100,000, once after each change to the list).
 */
import type { Knex } from 'knex';
import { formatPhone, phoneSearch } from '../../../backend-sync/domain/phone';
import { foldForSearch } from '../../../backend-sync/domain/searchText';
import { Role, type PullStream } from '../../../backend-sync/protocol';
import type { BoundCustomer, CustomerPage } from '../consoleApi/contract';

export interface ListFilter {
  stream: PullStream;
  channel: 'all' | 'line' | 'whatsapp';
  search: string;
}

/** A list's search columns in list order, as of `version`. */
interface ListIndex {
  version: number;
  ids: string[];
  channels: string[];
  names: string[];
  phones: string[];
}

const indexes = new WeakMap<Knex, Map<PullStream, ListIndex>>();

async function listIndex(db: Knex, stream: PullStream): Promise<ListIndex> {
  const row = (await db('customer_list_versions').where({ stream }).first('version')) as
    { version: number } | undefined;
  const version = row?.version ?? 0;
  let lists = indexes.get(db);
  if (!lists) indexes.set(db, (lists = new Map()));
  const known = lists.get(stream);
  if (known?.version === version) return known;
  // Read after the version: a change in between makes the next search read the list again.
  const rows = (await inListOrder(db('customer_list as c').where('c.stream', stream)).select(
    'c.id',
    'c.channel',
    'c.name_key',
    'c.phone_digits',
  )) as { id: string; channel: string; name_key: string; phone_digits: string }[];
  const index: ListIndex = {
    version,
    ids: rows.map((r) => r.id),
    channels: rows.map((r) => r.channel),
    names: rows.map((r) => r.name_key),
    phones: rows.map((r) => r.phone_digits),
  };
  lists.set(stream, index);
  return index;
}

/**
 * Ids of the matches in list order from `from` (at most `limit`), and how many match in all. An
 * entry matches by channel, then by name or phone (one plain loop: this is the hot path).
 */
async function matching(
  db: Knex,
  filter: ListFilter,
  phoneRegion: string,
  window: { from: number; limit: number },
): Promise<{ ids: string[]; total: number }> {
  const { ids, channels, names, phones } = await listIndex(db, filter.stream);
  const channel = filter.channel === 'all' ? null : filter.channel;
  const term = filter.search.trim();
  const name = foldForSearch(term);
  const phone = term ? phoneSearch(term, phoneRegion) : null;
  const exact = phone?.match === 'exact' ? phone.digits : null;
  const within = phone?.match === 'contains' ? phone.digits : null;
  const page: string[] = [];
  let total = 0;
  for (let i = 0; i < ids.length; i += 1) {
    if (channel !== null && channels[i] !== channel) continue;
    if (
      term &&
      !names[i]!.includes(name) &&
      phones[i] !== exact &&
      !(within !== null && phones[i]!.includes(within))
    ) {
      continue;
    }
    if (total >= window.from && page.length < window.limit) page.push(ids[i]!);
    total += 1;
  }
  return { ids: page, total };
}

interface ListRow {
  id: string;
  channel: 'line' | 'whatsapp';
  display_name: string;
  phone: string | null;
  bound_at: string | null;
  bound_staff_id: string | null;
  avatar_url: string | null;
  staff_data: string | null;
  branch_name: string | null;
}

/** The page of matches, newest binding first, with the total count. */
export async function searchCustomers(
  db: Knex,
  filter: ListFilter,
  paging: { limit: number; offset: number },
  phoneRegion: string,
): Promise<CustomerPage> {
  const { ids, total } = await matching(db, filter, phoneRegion, {
    from: paging.offset,
    limit: paging.limit,
  });
  return { items: await rowsOf(db, filter.stream, ids), total };
}

/** Every match (for the CSV export), in list order. */
export async function allMatches(
  db: Knex,
  filter: ListFilter,
  phoneRegion: string,
): Promise<BoundCustomer[]> {
  const { ids } = await matching(db, filter, phoneRegion, { from: 0, limit: Infinity });
  const out: BoundCustomer[] = [];
  for (let i = 0; i < ids.length; i += 500)
    out.push(...(await rowsOf(db, filter.stream, ids.slice(i, i + 500))));
  return out;
}

/** The customers of a list with these ids, in the ids' order. */
async function rowsOf(db: Knex, stream: PullStream, ids: string[]): Promise<BoundCustomer[]> {
  if (ids.length === 0) return [];
  const rows = await listRows(db, db('customer_list as c').where('c.stream', stream).whereIn('c.id', ids));
  const at = new Map(ids.map((id, i) => [id, i]));
  return rows.sort((a, b) => at.get(a.id)! - at.get(b.id)!).map(toBoundCustomer);
}

/** One customer of a list, or undefined. */
export async function findInList(
  db: Knex,
  stream: PullStream,
  id: string,
): Promise<BoundCustomer | undefined> {
  const [row] = await listRows(db, db('customer_list as c').where({ 'c.stream': stream, 'c.id': id }));
  return row ? toBoundCustomer(row) : undefined;
}

/** Newest binding first: the order of the `customer_list_order` index (read without the table). */
const inListOrder = (query: Knex.QueryBuilder): Knex.QueryBuilder =>
  query.orderBy([
    { column: 'c.bound_at', order: 'desc' },
    { column: 'c.id', order: 'asc' },
  ]);

function listRows(db: Knex, query: Knex.QueryBuilder): Promise<ListRow[]> {
  return query
    .leftJoin('staff as s', 's.id', 'c.bound_staff_id')
    .leftJoin('branches as b', 'b.id', 'c.bound_branch_id')
    .select(
      'c.id',
      'c.channel',
      'c.display_name',
      'c.phone',
      'c.bound_at',
      'c.bound_staff_id',
      db.raw(`json_extract(c.data, '$.avatarUrl') as avatar_url`),
      's.data as staff_data',
      'b.name as branch_name',
    ) as Promise<ListRow[]>;
}

function toBoundCustomer(r: ListRow): BoundCustomer {
  // Staff of this branch are replicated here; someone else's associate shows by id only.
  const staff = r.staff_data ? (JSON.parse(r.staff_data) as { displayName?: string; role?: string }) : null;
  const role = Role.safeParse(staff?.role);
  return {
    id: r.id,
    displayName: r.display_name,
    channel: r.channel,
    phone: formatPhone(r.phone),
    avatarUrl: r.avatar_url,
    boundAt: r.bound_at,
    boundStaff: r.bound_staff_id
      ? {
          id: r.bound_staff_id,
          displayName: staff?.displayName ?? r.bound_staff_id,
          role: role.success ? role.data : null,
        }
      : null,
    boundBranchName: r.branch_name,
  };
}
