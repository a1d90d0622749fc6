/**
 * Searching a customer list in the local store (works offline). One term matches a name
 * (partial; NFKC + lower case, so full-width and upper-case input match) or a phone number in any
 * common form (see domain/phone.ts phoneSearch). Terms are bound parameters and LIKE
 * wildcards are escaped, so SQL, HTML or '%' in a search are matched literally, never run.
 */
import type { Knex } from 'knex';
import { formatPhone, phoneSearch } from '../../../backend-sync/domain/phone';
import { foldForSearch } from '../../../backend-sync/domain/searchText';
import { Role, type PullStream } from '../../../backend-sync/protocol';
import type { BoundCustomer, CustomerPage, CustomerQuery } from '../api/contract';

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
  const countRow = (await filtered(db, filter, phoneRegion).count({ n: '*' }).first()) as { n: number };
  const rows = await listRows(
    db,
    filtered(db, filter, phoneRegion).limit(paging.limit).offset(paging.offset),
  );
  return { items: rows.map(toBoundCustomer), total: Number(countRow.n) };
}

/** Every match (for the CSV export), in list order. */
export async function allMatches(
  db: Knex,
  filter: ListFilter,
  phoneRegion: string,
): Promise<BoundCustomer[]> {
  return (await listRows(db, filtered(db, filter, phoneRegion))).map(toBoundCustomer);
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

function listRows(db: Knex, query: Knex.QueryBuilder): Promise<ListRow[]> {
  return query
    .leftJoin('staff as s', 's.id', 'c.bound_staff_id')
    .leftJoin('branches as b', 'b.id', 'c.bound_branch_id')
    .orderBy([
      { column: 'c.bound_at', order: 'desc' },
      { column: 'c.id', order: 'asc' },
    ])
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
