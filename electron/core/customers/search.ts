/**
 * Searching a customer list in the local store (works offline). One term matches a name
 * (partial; NFKC + lower case, so full-width and upper-case input match) or a phone number in any
 * common form (see domain/phone.ts phoneSearch). Terms are bound parameters and LIKE
 * wildcards are escaped, so SQL, HTML or '%' in a search are matched literally, never run.
 *
 * Speed (bench customers.search_p99_ms: 100,000 customers, ≤ 30 ms): a "contains" match cannot use
 * an index to find rows, so a search reads every entry of the list once — but only entries of
 * the two covering indexes of store/migrations/003 (a few dozen bytes each), never the table
 * rows with their JSON:
 * - the page is read along `customer_list_order` (newest binding first), matching in the index
 *   and stopping as soon as the page is full; only its ids come out;
 * - the total is counted over `customer_list_match` (by channel first), and not at all when the
 *   page came out short: then the page's end is the matches' end;
 * - the page's display columns are then fetched by primary key for those ids only.
 */
import type { Knex } from 'knex';
import { formatPhone, phoneSearch } from '../../../backend-sync/domain/phone';
import { foldForSearch } from '../../../backend-sync/domain/searchText';
import { Role, type PullStream } from '../../../backend-sync/protocol';
import type { BoundCustomer, CustomerPage } from '../api/contract';

export interface ListFilter {
  stream: PullStream;
  channel: 'all' | 'line' | 'whatsapp';
  search: string;
}

/** LIKE pattern for "contains", with %, _ and the escape character itself taken literally. */
export const containsPattern = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function filtered(db: Knex, filter: ListFilter, phoneRegion: string): Knex.QueryBuilder {
  const query = db('customer_list as c').where('c.stream', filter.stream);
  if (filter.channel !== 'all') query.andWhere('c.channel', filter.channel);
  const term = filter.search.trim();
  if (term) {
    const phone = phoneSearch(term, phoneRegion);
    query.andWhere((q) => {
      q.whereRaw(`c.name_key LIKE ? ESCAPE '\\'`, [containsPattern(foldForSearch(term))]);
      if (phone?.match === 'exact') q.orWhere('c.phone_digits', phone.digits);
      else if (phone) q.orWhereRaw(`c.phone_digits LIKE ? ESCAPE '\\'`, [containsPattern(phone.digits)]);
    });
  }
  return query;
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
  const ids = (await inListOrder(filtered(db, filter, phoneRegion))
    .limit(paging.limit)
    .offset(paging.offset)
    .pluck('c.id')) as string[];
  const short = ids.length < paging.limit && (ids.length > 0 || paging.offset === 0);
  const total = short
    ? paging.offset + ids.length
    : Number(
        ((await filtered(db, filter, phoneRegion).count({ n: '*' }).first()) as { n: number | string }).n,
      );
  if (ids.length === 0) return { items: [], total };
  // By primary key, in no particular order (asking SQLite for the list order here would make it
  // walk the order index past every other customer); the page's order is the ids'.
  const rows = await listRows(
    db,
    db('customer_list as c').where('c.stream', filter.stream).whereIn('c.id', ids),
  );
  const at = new Map(ids.map((id, i) => [id, i]));
  rows.sort((a, b) => at.get(a.id)! - at.get(b.id)!);
  return { items: rows.map(toBoundCustomer), total };
}

/** Every match (for the CSV export), in list order. */
export async function allMatches(
  db: Knex,
  filter: ListFilter,
  phoneRegion: string,
): Promise<BoundCustomer[]> {
  return (await listRows(db, inListOrder(filtered(db, filter, phoneRegion)))).map(toBoundCustomer);
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

/** Newest binding first: the order of the `customer_list_order` index. */
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
