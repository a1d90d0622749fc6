/**
 * Customers feature (SPEC §2.2, §2.3): its part of the ConsoleApi handler table. For now the
 * associate's own bound customers and the binding QR codes; search, team lists and adding
 * customers come with a later issue.
 */
import type { Knex } from 'knex';
import type { ConsoleHandlers, SessionStaff } from '../api/contract';
import { myCustomers } from './mine';
import { myQrInfo } from './myQr';

export type CustomersMethod = 'customers.mine' | 'myQr.info';

export function createCustomers(deps: { db: Knex; currentStaff: () => SessionStaff | null }): {
  handlers: Pick<ConsoleHandlers, CustomersMethod>;
} {
  return {
    handlers: {
      'customers.mine': () => myCustomers(deps.db, deps.currentStaff()),
      'myQr.info': () => myQrInfo(deps.db, deps.currentStaff()),
    },
  };
}
