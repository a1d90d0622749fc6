/**
 * The associate's customers and QR codes, read from a real console database filled the way a
 * pull fills it (applyChange).
 */
import type { Knex } from 'knex';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BrandRow, Change, CustomerRow } from '../../../backend-sync/protocol';
import type { SessionStaff } from '../api/contract';
import { openConsoleDb } from '../store/db';
import { applyChange } from '../store/mirrors';
import { writeTransaction } from '../store/transaction';
import { tempDir } from '../testing/temp';
import { createCustomers } from '.';
import { maskPhone } from './mask';

const staff: SessionStaff = {
  id: 'staff-s001',
  staffCode: 'S001',
  displayName: '林小美',
  role: 'sales_associate',
  branchId: 'branch-a',
  signedInAt: '2026-03-10T04:00:00.000Z',
};

const brand = (over: Partial<BrandRow> = {}): BrandRow => ({
  id: 'brand-1',
  name: '好茶',
  timeZone: 'Asia/Taipei',
  verifyMaxAttempts: 5,
  verifyLockSeconds: 300,
  offlineRedeemLimitHours: 72,
  ...over,
});

const customer = (id: string, over: Partial<CustomerRow> = {}): CustomerRow => ({
  id,
  brandId: 'brand-1',
  channel: 'line',
  displayName: `Customer ${id}`,
  phone: null,
  avatarUrl: null,
  boundStaffId: staff.id,
  boundBranchId: 'branch-a',
  boundAt: '2026-03-01T00:00:00.000Z',
  ...over,
});

let db: Knex;
let remove: () => void;
let signedIn: SessionStaff | null;
const api = () => createCustomers({ db, currentStaff: () => signedIn }).handlers;

async function pull(changes: Change[]) {
  await writeTransaction(db, async (trx) => {
    for (const change of changes) await applyChange(trx, change);
  });
}
let seq = 0;
const upsert = (entity: 'brand' | 'customer', data: BrandRow | CustomerRow) =>
  ({ seq: ++seq, entity, op: 'upsert', id: data.id, data }) as Change;

beforeEach(async () => {
  const temp = tempDir();
  remove = temp.remove;
  db = await openConsoleDb({ dataDir: temp.dir });
  signedIn = staff;
});
afterEach(async () => {
  await db.destroy();
  remove();
});

describe('customers.mine', () => {
  it('lists only my customers, newest binding first, phones masked', async () => {
    await pull([
      upsert('customer', customer('c-old', { boundAt: '2026-01-01T00:00:00.000Z' })),
      upsert(
        'customer',
        customer('c-new', {
          channel: 'whatsapp',
          phone: '+85291234567',
          boundAt: '2026-03-09T00:00:00.000Z',
        }),
      ),
      upsert('customer', customer('c-other', { boundStaffId: 'staff-s002' })),
    ]);
    const mine = await api()['customers.mine'](undefined);
    expect(mine.map((c) => c.id)).toEqual(['c-new', 'c-old']);
    expect(mine[0]).toMatchObject({ channel: 'whatsapp', phoneMasked: '+852 •••••567' });
    expect(JSON.stringify(mine)).not.toContain('91234567');
  });

  it('follows a customer moving to another associate', async () => {
    await pull([upsert('customer', customer('c-1'))]);
    expect(await api()['customers.mine'](undefined)).toHaveLength(1);
    await pull([upsert('customer', customer('c-1', { boundStaffId: 'staff-s002' }))]);
    expect(await api()['customers.mine'](undefined)).toEqual([]);
  });

  it('needs a signed-in associate', async () => {
    signedIn = null;
    await expect(api()['customers.mine'](undefined)).rejects.toMatchObject({ code: 'NOT_SIGNED_IN' });
  });
});

describe('myQr.info', () => {
  it('encodes prefix + staff code + suffix into the LINE and WhatsApp links', async () => {
    await pull([
      upsert(
        'brand',
        brand({
          channels: {
            line: { basicId: '@omo-demo' },
            whatsapp: { phoneNumber: '85230001234' },
            bindingPrefix: '聯絡專員',
            bindingSuffix: ' 謝謝&',
          },
        }),
      ),
    ]);
    const info = await api()['myQr.info'](undefined);
    expect(info.message).toBe('聯絡專員S001 謝謝&');
    expect(info.line?.url).toBe(
      'https://line.me/R/oaMessage/@omo-demo/?%E8%81%AF%E7%B5%A1%E5%B0%88%E5%93%A1S001%20%E8%AC%9D%E8%AC%9D%26',
    );
    expect(info.whatsapp?.url).toBe(
      'https://wa.me/85230001234?text=%E8%81%AF%E7%B5%A1%E5%B0%88%E5%93%A1S001%20%E8%AC%9D%E8%AC%9D%26',
    );
    // Decoding gives the message back exactly.
    expect(decodeURIComponent(new URL(info.line!.url).search.slice(1))).toBe(info.message);
    expect(new URL(info.whatsapp!.url).searchParams.get('text')).toBe(info.message);
  });

  it('uses the default prefix and says which channels are missing when the brand has none', async () => {
    await pull([upsert('brand', brand())]);
    expect(await api()['myQr.info'](undefined)).toEqual({
      staffCode: 'S001',
      displayName: '林小美',
      message: '聯絡專員S001',
      line: null,
      whatsapp: null,
    });
  });
});

describe('maskPhone', () => {
  it('keeps the country code and the last three digits', () => {
    expect(maskPhone('+886912345678')).toBe('+886 ••••••678');
    expect(maskPhone('0912345678')).toBe('09 •••••678');
    expect(maskPhone(null)).toBeNull();
    expect(maskPhone('12345')).toBe('•••••');
  });
});
