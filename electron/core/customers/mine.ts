/** The signed-in associate's bound customers, from the local mirror (works offline). */
import type { Knex } from 'knex';
import { AppError, ErrorCode } from '../../../backend-sync/domain/errors';
import { CustomerRow } from '../../../backend-sync/protocol';
import type { BoundCustomer, SessionStaff } from '../api/contract';
import { maskPhone } from './mask';

export async function myCustomers(db: Knex, staff: SessionStaff | null): Promise<BoundCustomer[]> {
  if (!staff) throw new AppError(ErrorCode.NOT_SIGNED_IN, 'Sign in to see your customers.');
  const rows = (await db('customers').where({ bound_staff_id: staff.id }).select('data')) as {
    data: string;
  }[];
  const customers: BoundCustomer[] = [];
  for (const row of rows) {
    const parsed = CustomerRow.safeParse(JSON.parse(row.data));
    if (!parsed.success) continue;
    const c = parsed.data;
    customers.push({
      id: c.id,
      displayName: c.displayName,
      channel: c.channel,
      phoneMasked: maskPhone(c.phone),
      avatarUrl: c.avatarUrl,
      boundAt: c.boundAt,
    });
  }
  // ISO-8601 UTC strings sort as times; unknown binding times last.
  return customers.sort(
    (a, b) => (b.boundAt ?? '').localeCompare(a.boundAt ?? '') || a.id.localeCompare(b.id),
  );
}
