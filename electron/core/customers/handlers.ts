/**
 * Customers feature: its part of the ConsoleApi handler table — my list and the
 * team list (search, detail, CSV), adding a customer by WhatsApp number, broadcasting to my list,
 * and the binding QR codes. Reads come from the local store (offline too); writes are queued.
 */
import type { Knex } from 'knex';
import type { Clock, IdGenerator } from '../../../backend-sync/domain/clock';
import { callingCodeOf } from '../../../backend-sync/domain/phone';
import type { ConsoleHandlers, SignedInStaff } from '../consoleApi/contract';
import { getMeta } from '../store/meta';
import { addByPhone, addRequests } from './add';
import { brandCustomerSettings } from './brand';
import { recentBroadcasts, sendBroadcast } from './broadcast';
import { customersCsv } from './csv';
import { exportFilename } from '../../../backend-sync/domain/csv';
import { customerDetail } from './detail';
import { listsOf, requireSignedIn, streamOf } from './lists';
import { myQrInfo } from './myQr';
import { allMatches, searchCustomers } from './search';

export type CustomersMethod =
  | 'customers.context'
  | 'customers.search'
  | 'customers.detail'
  | 'customers.exportCsv'
  | 'customers.add'
  | 'customers.addRequests'
  | 'customers.broadcast'
  | 'customers.broadcasts'
  | 'myQr.info';

export interface CustomersDeps {
  db: Knex;
  clock: Clock;
  ids: IdGenerator;
  currentStaff: () => SignedInStaff | null;
  /** After a request was queued (the sync engine pushes it). */
  outboxChanged: () => void;
  /** Tell the screen something it shows changed. */
  emitChanged: () => void;
}

export function createCustomers(deps: CustomersDeps): {
  handlers: Pick<ConsoleHandlers, CustomersMethod>;
  /** A list stream was pulled: the screen re-reads. */
  changed(): void;
} {
  const { db } = deps;
  const staff = () => requireSignedIn(deps.currentStaff());
  const queued = <T>(value: T): T => {
    deps.outboxChanged();
    deps.emitChanged();
    return value;
  };
  return {
    changed: deps.emitChanged,
    handlers: {
      'customers.context': async () => {
        const me = staff();
        const brand = await brandCustomerSettings(db);
        return {
          lists: listsOf(me),
          phoneRegion: brand.phoneRegion,
          callingCode: callingCodeOf(brand.phoneRegion),
          channels: { line: !!brand.channels?.line, whatsapp: !!brand.channels?.whatsapp },
          whatsappTemplates: brand.channels?.whatsapp?.templates ?? [],
        };
      },
      'customers.search': async (query) => {
        const me = staff();
        const brand = await brandCustomerSettings(db);
        return searchCustomers(
          db,
          { stream: streamOf(me, query.list), channel: query.channel, search: query.search },
          query,
          brand.phoneRegion,
        );
      },
      'customers.detail': async ({ id }) => {
        const me = staff();
        const brand = await brandCustomerSettings(db);
        return customerDetail(
          db,
          listsOf(me).map((list) => streamOf(me, list)),
          id,
          brand,
        );
      },
      'customers.exportCsv': async (query) => {
        const me = staff();
        const brand = await brandCustomerSettings(db);
        const rows = await allMatches(
          db,
          { stream: streamOf(me, query.list), channel: query.channel, search: query.search },
          brand.phoneRegion,
        );
        const locale = (await getMeta(db, 'locale')) === 'en' ? 'en' : 'zh-TW';
        return {
          filename: exportFilename(['customers', query.list], deps.clock.now(), brand.timeZone),
          csv: customersCsv(rows, locale, brand.timeZone),
        };
      },
      'customers.add': async (input) => {
        const me = staff();
        streamOf(me, 'mine'); // only sales roles have a list to add to
        const brand = await brandCustomerSettings(db);
        return queued(await addByPhone(deps, me, input, brand.phoneRegion));
      },
      'customers.addRequests': async () => addRequests(db, staff()),
      'customers.broadcast': async (message) => {
        const me = staff();
        streamOf(me, 'mine');
        const brand = await brandCustomerSettings(db);
        return queued(await sendBroadcast(deps, me, message, brand));
      },
      'customers.broadcasts': async () => recentBroadcasts(db, staff()),
      'myQr.info': () => myQrInfo(db, deps.currentStaff()),
    },
  };
}
