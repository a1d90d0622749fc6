/**
 * Customers reached on LINE or WhatsApp, and their binding (OMO 綁定) to an associate. A bound
 * customer reaches their associate's list and their branch's team list (customers/replication.ts);
 * an unbound customer reaches no console.
 */
import type { Knex } from 'knex';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { Role } from '../../protocol';
import { toCustomerRow } from '../db/rows';
import { customerChanges, recordCustomerChange } from './replication';
import { requireBrand } from '../brands/brands';
import { recordChanges } from '../db/batchedChanges';
import { BindCustomerInput, CreateCustomerInput, Paging, type CustomerView } from '../services/schemas';
import {
  alreadyExists,
  chunks,
  inTransaction,
  insertInChunks,
  notFound,
  parseInput,
  validationFailed,
  type CatalogDeps,
} from '../services/common';
import { z } from 'zod';

type Row = Record<string, unknown>;

/** Roles with their own bound-customer list (SPEC §1). */
const BINDABLE_ROLES: readonly Role[] = ['sales_associate', 'sales_manager'];

export const toCustomerView = (row: Row): CustomerView => ({
  ...toCustomerRow(row),
  channelUserId: String(row.channel_user_id),
  createdAt: String(row.created_at),
});

const e164 = (phone: string | null | undefined): string | null =>
  phone ? (parsePhoneNumberFromString(phone)?.number ?? phone) : null;

export const BulkCustomersInput = z.strictObject({
  customers: z.array(CreateCustomerInput).min(1).max(10_000),
});

export async function createCustomer(
  db: Knex,
  deps: CatalogDeps,
  brandId: string,
  input: unknown,
): Promise<CustomerView> {
  const [customer] = await createCustomersBulk(db, deps, brandId, {
    customers: [parseInput(CreateCustomerInput, input)],
  });
  return customer!;
}

/** Many customers (optionally bound) in one transaction, with batched inserts and change rows. */
export async function createCustomersBulk(
  db: Knex,
  deps: CatalogDeps,
  brandId: string,
  input: unknown,
  options: { source?: 'admin' | 'demo' } = {},
): Promise<CustomerView[]> {
  const data = parseInput(BulkCustomersInput, input);
  const single = data.customers.length === 1;
  const seen = new Set<string>();
  data.customers.forEach((c, i) => {
    const key = `${c.channel}:${c.channelUserId}`;
    if (seen.has(key)) {
      throw validationFailed('The input is not valid.', [
        { path: `customers.${i}.channelUserId`, message: 'listed twice' },
      ]);
    }
    seen.add(key);
  });
  const now = deps.clock.now();
  const at = now.toISOString();

  return inTransaction(db, async (trx) => {
    await requireBrand(trx, brandId);
    for (const channel of ['line', 'whatsapp'] as const) {
      const userIds = data.customers.filter((c) => c.channel === channel).map((c) => c.channelUserId);
      for (const chunk of chunks(userIds, 500)) {
        const clash = await trx('customers')
          .where({ brand_id: brandId, channel })
          .whereIn('channel_user_id', chunk)
          .first();
        if (clash) {
          throw alreadyExists(`${single ? 'This' : 'A'} ${channel} customer already exists.`, {
            field: 'channelUserId',
            channelUserId: String(clash.channel_user_id),
          });
        }
      }
    }
    const staffIds = [
      ...new Set(data.customers.map((c) => c.boundStaffId).filter((id): id is string => !!id)),
    ];
    const associates = await loadAssociates(trx, brandId, staffIds);

    const rows = data.customers.map((c) => {
      const staff = c.boundStaffId ? associates.get(c.boundStaffId)! : null;
      return {
        id: deps.ids(),
        brand_id: brandId,
        channel: c.channel,
        channel_user_id: c.channelUserId,
        display_name: c.displayName,
        phone: e164(c.phone),
        avatar_url: c.avatarUrl ?? null,
        bound_staff_id: staff ? String(staff.id) : null,
        bound_branch_id: staff ? String(staff.branch_id) : null,
        bound_at: staff ? at : null,
        created_at: at,
      };
    });
    await insertInChunks(trx, 'customers', rows, 200);
    const bound = rows.filter((r) => r.bound_staff_id !== null);
    await insertInChunks(
      trx,
      'binding_history',
      bound.map((r) => ({
        customer_id: r.id,
        from_staff_id: null,
        to_staff_id: r.bound_staff_id,
        channel: r.channel,
        source: options.source ?? 'admin',
        at,
      })),
    );
    const names = new Map([...associates].map(([id, staff]) => [id, String(staff.display_name)]));
    await recordChanges(
      trx,
      bound.flatMap((r) =>
        customerChanges(null, r, now, [
          {
            at,
            source: 'webhook',
            fromStaffId: null,
            fromStaffName: null,
            toStaffId: r.bound_staff_id,
            toStaffName: names.get(String(r.bound_staff_id)) ?? null,
          },
        ]),
      ),
    );
    return rows.map(toCustomerView);
  });
}

/**
 * Binds a customer to an associate (or moves them). The lists the customer left get a delete,
 * the new associate's and team's lists the customer.
 */
export async function bindCustomer(
  db: Knex,
  deps: CatalogDeps,
  brandId: string,
  input: unknown,
): Promise<CustomerView> {
  const data = parseInput(BindCustomerInput, input);
  const now = deps.clock.now();
  return inTransaction(db, async (trx) => {
    const customer: Row | undefined = await trx('customers')
      .where({ id: data.customerId, brand_id: brandId })
      .first();
    if (!customer) throw notFound('Customer', data.customerId);
    const staff = (await loadAssociates(trx, brandId, [data.staffId])).get(data.staffId)!;
    if (customer.bound_staff_id === staff.id) return toCustomerView(customer);

    const row = {
      ...customer,
      bound_staff_id: staff.id,
      bound_branch_id: staff.branch_id,
      bound_at: now.toISOString(),
    };
    await trx('customers').where({ id: customer.id }).update({
      bound_staff_id: row.bound_staff_id,
      bound_branch_id: row.bound_branch_id,
      bound_at: row.bound_at,
    });
    await trx('binding_history').insert({
      customer_id: customer.id,
      from_staff_id: customer.bound_staff_id ?? null,
      to_staff_id: staff.id,
      channel: customer.channel,
      source: data.source,
      at: row.bound_at,
    });
    await recordCustomerChange(trx, customer, row, now);
    return toCustomerView(row);
  });
}

/** Active sales staff of the brand by id; NOT_FOUND for an unknown id, 400 for another role. */
async function loadAssociates(
  trx: Knex.Transaction,
  brandId: string,
  staffIds: string[],
): Promise<Map<string, Row>> {
  const found = new Map<string, Row>();
  for (const chunk of chunks(staffIds, 500)) {
    const rows: Row[] = await trx('staff').where({ brand_id: brandId }).whereIn('id', chunk);
    for (const row of rows) found.set(String(row.id), row);
  }
  for (const id of staffIds) {
    const staff = found.get(id);
    if (!staff) throw notFound('Staff', id);
    if (!BINDABLE_ROLES.includes(String(staff.role) as Role) || !staff.branch_id) {
      throw validationFailed('Customers bind only to sales associates and sales managers.', [
        { path: 'boundStaffId', message: `staff ${String(staff.staff_code)} is a ${String(staff.role)}` },
      ]);
    }
  }
  return found;
}

const ListCustomersQuery = Paging.extend({ channel: z.enum(['line', 'whatsapp']).optional() });

export async function listCustomers(
  db: Knex,
  brandId: string,
  query: unknown,
): Promise<{ items: CustomerView[]; total: number; limit: number; offset: number }> {
  const { limit, offset, channel } = parseInput(ListCustomersQuery, query ?? {});
  await requireBrand(db, brandId);
  const filter = (q: Knex.QueryBuilder) =>
    channel ? q.where({ brand_id: brandId, channel }) : q.where({ brand_id: brandId });
  const totalRow = await filter(db('customers')).count({ n: '*' }).first();
  const rows: Row[] = await filter(db('customers'))
    .orderBy([{ column: 'created_at' }, { column: 'id' }])
    .limit(limit)
    .offset(offset);
  return { items: rows.map(toCustomerView), total: Number(totalRow?.n ?? 0), limit, offset };
}

export { ListCustomersQuery };
