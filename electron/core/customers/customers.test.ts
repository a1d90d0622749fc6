/**
 * Customer lists, detail, add-by-phone, broadcast, CSV and QR codes, read from a real console
 * database filled the way a pull fills it (applyChanges, per stream).
 */
import type { Knex } from 'knex';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manualClock, uuidV7 } from '../../../backend-sync/domain/clock';
import type {
  BranchRow,
  BrandRow,
  Change,
  ClaimRow,
  CouponRow,
  CustomerRow,
  PullStream,
  StaffRow,
} from '../../../backend-sync/protocol';
import { consoleApi, type CustomerQuery, type SignedInStaff } from '../consoleApi/contract';
import { markAnswers, readAll } from '../outbox/outbox';
import { openConsoleDb } from '../store/db';
import { applyChanges } from '../store/mirrors';
import { writeTransaction } from '../store/transaction';
import { tempDir } from '../../testing/temp';
import { createCustomers } from './handlers';

const staff: SignedInStaff = {
  id: 'staff-s001',
  staffCode: 'S001',
  displayName: '林小美',
  role: 'sales_associate',
  branchId: 'branch-a',
  signedInAt: '2026-03-10T04:00:00.000Z',
  signInId: 'signin-s001',
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
let signedIn: SignedInStaff | null;
const clock = manualClock('2026-03-10T04:00:00.000Z');
let queuedCount = 0;
const api = () =>
  createCustomers({
    db,
    clock,
    ids: uuidV7,
    currentStaff: () => signedIn,
    outboxChanged: () => queuedCount++,
    emitChanged: () => undefined,
  }).handlers;

async function pull(changes: Change[], stream: PullStream = 'device') {
  await writeTransaction(db, async (trx) => {
    await applyChanges(trx, changes, stream);
  });
}
let seq = 0;
type Entity = 'brand' | 'branch' | 'staff' | 'coupon' | 'claim' | 'customer';
const upsert = (entity: Entity, data: { id: string }) =>
  ({ seq: ++seq, entity, op: 'upsert', id: data.id, data }) as Change;
const mine = `staff:${staff.id}` as const;

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

const manager: SignedInStaff = {
  ...staff,
  id: 'staff-m001',
  staffCode: 'M001',
  displayName: '黃俊傑',
  role: 'sales_manager',
  signInId: 'signin-m001',
};
const staffRow = (s: SignedInStaff): StaffRow => ({
  id: s.id,
  brandId: 'brand-1',
  branchId: s.branchId,
  role: s.role,
  staffCode: s.staffCode,
  displayName: s.displayName,
  pinHash: 'x',
  active: true,
});
const branch: BranchRow = { id: 'branch-a', brandId: 'brand-1', name: '台北信義店', code: 'TPE' };

const search = (query: CustomerQuery) =>
  api()['customers.search'](consoleApi['customers.search'].input.parse(query));

describe('customers.search', () => {
  beforeEach(async () => {
    await pull([upsert('brand', brand({ phoneRegion: 'HK' })), upsert('branch', branch)]);
    await pull(
      [
        upsert(
          'customer',
          customer('c-tw', {
            displayName: '王小明 Ming',
            phone: '+886912345678',
            boundAt: '2026-03-09T00:00:00.000Z',
          }),
        ),
        upsert(
          'customer',
          customer('c-hk', {
            displayName: 'Chan Tai Man 陳大文',
            channel: 'whatsapp',
            phone: '+85291234567',
            boundAt: '2026-03-08T00:00:00.000Z',
          }),
        ),
        upsert(
          'customer',
          customer('c-pct', { displayName: '100%_fan', boundAt: '2026-03-07T00:00:00.000Z' }),
        ),
        upsert(
          'customer',
          customer('c-html', {
            displayName: "<b>Robert</b>'); DROP TABLE customer_list;--",
            boundAt: '2026-03-06T00:00:00.000Z',
          }),
        ),
      ],
      mine,
    );
  });

  it('finds partial Chinese, English and mixed names, whatever the case or width', async () => {
    const ids = async (term: string) => (await search({ search: term })).items.map((c) => c.id);
    expect(await ids('小明')).toEqual(['c-tw']);
    expect(await ids('ming')).toEqual(['c-tw']);
    expect(await ids('ＣＨＡＮ')).toEqual(['c-hk']);
    expect(await ids('tai man 陳')).toEqual(['c-hk']);
    expect(await ids('')).toEqual(['c-tw', 'c-hk', 'c-pct', 'c-html']);
  });

  it('finds a phone number typed in any common form', async () => {
    const ids = async (term: string) => (await search({ search: term })).items.map((c) => c.id);
    expect(await ids('0912 345 678')).toEqual(['c-tw']);
    expect(await ids('+886912345678')).toEqual(['c-tw']);
    expect(await ids('+886 912-345-678')).toEqual(['c-tw']);
    expect(await ids('9123 4567')).toEqual(['c-hk']);
    expect(await ids('+852 9123 4567')).toEqual(['c-hk']);
    expect(await ids('345 678')).toEqual(['c-tw']);
  });

  it('matches SQL, HTML and LIKE wildcards literally', async () => {
    const ids = async (term: string) => (await search({ search: term })).items.map((c) => c.id);
    expect(await ids('%')).toEqual(['c-pct']);
    expect(await ids('%_')).toEqual(['c-pct']);
    // customer_list in the other name holds a real underscore.
    expect(await ids('_')).toEqual(['c-pct', 'c-html']);
    expect(await ids("'); DROP TABLE customer_list;--")).toEqual(['c-html']);
    expect(await ids('<b>')).toEqual(['c-html']);
    expect(await ids("' OR '1'='1")).toEqual([]);
    expect((await search({})).total).toBe(4);
  });

  it('rejects an overlong search term before it reaches the store', () => {
    const parsed = consoleApi['customers.search'].input.safeParse({ search: 'x'.repeat(10_000) });
    expect(parsed.success).toBe(false);
  });

  it('filters by channel, pages and counts all matches', async () => {
    const line = await search({ channel: 'line', limit: 2, offset: 0 });
    expect(line.total).toBe(3);
    expect(line.items.map((c) => c.id)).toEqual(['c-tw', 'c-pct']);
    expect((await search({ channel: 'line', limit: 2, offset: 2 })).items.map((c) => c.id)).toEqual([
      'c-html',
    ]);
    expect((await search({ channel: 'whatsapp' })).items.map((c) => c.phone)).toEqual(['+852 9123 4567']);
  });

  it('keeps lists apart: a delete in my list leaves the team list alone', async () => {
    await pull([upsert('customer', customer('c-tw'))], 'team:branch-a');
    await pull([{ seq: ++seq, entity: 'customer', op: 'delete', id: 'c-tw' }], mine);
    expect((await search({ search: '小明' })).total).toBe(0);
    signedIn = manager;
    expect((await search({ list: 'team' })).items.map((c) => c.id)).toEqual(['c-tw']);
  });

  it('shows the team list to a sales manager only, with the associate as role and name', async () => {
    await pull([upsert('staff', staffRow(staff))]);
    await pull([upsert('customer', customer('c-tw', { displayName: '王小明' }))], 'team:branch-a');
    await expect(search({ list: 'team' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    signedIn = manager;
    expect(await api()['customers.context'](undefined)).toMatchObject({
      lists: ['mine', 'team'],
      callingCode: '+852',
    });
    const team = await search({ list: 'team' });
    expect(team.items[0]).toMatchObject({
      boundStaff: { id: staff.id, displayName: '林小美', role: 'sales_associate' },
      boundBranchName: '台北信義店',
    });
  });

  it('needs a signed-in staff member, and a sales role for any list', async () => {
    signedIn = null;
    await expect(search({})).rejects.toMatchObject({ code: 'NOT_SIGNED_IN' });
    signedIn = { ...staff, role: 'cs_agent', branchId: null };
    expect((await api()['customers.context'](undefined)).lists).toEqual([]);
    await expect(search({})).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('customers.detail', () => {
  it("shows binding history, the customer's coupons and the conversation link", async () => {
    const coupon = {
      id: 'k1',
      brandId: 'brand-1',
      status: 'published',
      fixedCode: null,
      name: '全店 9 折券',
    } as CouponRow;
    const claim = (id: string, over: Partial<ClaimRow>): ClaimRow => ({
      id,
      brandId: 'brand-1',
      couponId: 'k1',
      customerId: 'c-1',
      customerName: null,
      code: id,
      claimToken: `t-${id}`,
      claimedAt: '2026-03-01T00:00:00.000Z',
      openedAt: null,
      redeemedAt: null,
      redeemedBranchId: null,
      redeemedDeviceId: null,
      redeemedStaffId: null,
      ...over,
    });
    await pull([
      upsert(
        'brand',
        brand({ conversationUrls: { line: 'https://chat.example.com/line/{userId}', whatsapp: null } }),
      ),
      upsert('coupon', coupon),
      upsert(
        'claim',
        claim('A1', { openedAt: '2026-03-02T00:00:00.000Z', redeemedAt: '2026-03-03T00:00:00.000Z' }),
      ),
      upsert('claim', claim('A2', { claimedAt: '2026-03-05T00:00:00.000Z' })),
      upsert('claim', claim('B1', { customerId: 'someone-else' })),
    ]);
    await pull(
      [
        upsert(
          'customer',
          customer('c-1', {
            channelUserId: 'U1234 5',
            history: [
              {
                at: '2026-03-01T00:00:00.000Z',
                source: 'webhook',
                fromStaffId: null,
                fromStaffName: null,
                toStaffId: staff.id,
                toStaffName: '林小美',
              },
            ],
          }),
        ),
      ],
      mine,
    );
    const detail = await api()['customers.detail']({ id: 'c-1' });
    expect(detail.history).toEqual([
      { at: '2026-03-01T00:00:00.000Z', source: 'webhook', fromStaffName: null, toStaffName: '林小美' },
    ]);
    expect(detail.coupons.map((c) => [c.claimId, c.couponName, c.redeemedAt])).toEqual([
      ['A2', '全店 9 折券', null],
      ['A1', '全店 9 折券', '2026-03-03T00:00:00.000Z'],
    ]);
    expect(detail.conversationUrl).toBe('https://chat.example.com/line/U1234%205');
    await expect(api()['customers.detail']({ id: 'not-mine' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('customers.add', () => {
  beforeEach(async () => {
    await pull([upsert('brand', brand({ phoneRegion: 'HK' }))]);
  });

  it('queues a valid number as E.164 in the brand region (+852 by default)', async () => {
    const request = await api()['customers.add']({ phone: '9123 4567', takeOver: false });
    expect(request).toMatchObject({ state: 'queued', phone: '+852 9123 4567', name: '+852 9123 4567' });
    const [entry] = await readAll(db);
    expect(entry!.mutation).toMatchObject({
      kind: 'customer.add',
      payload: { staffId: staff.id, phone: '+85291234567', name: null, takeOver: false },
    });
    expect(queuedCount).toBeGreaterThan(0);
  });

  it('refuses an invalid number at once and queues nothing', async () => {
    for (const phone of ['12', '0912 345 678', 'abc', '+852 1234', '9123 4567 ext. 5; DROP']) {
      await expect(api()['customers.add']({ phone, takeOver: false })).rejects.toMatchObject({
        code: 'PHONE_INVALID',
        details: { callingCode: '+852' },
      });
    }
    expect(await readAll(db)).toEqual([]);
  });

  it('says what is wrong with a refused number', async () => {
    const reasons: Record<string, string | undefined> = {};
    for (const phone of ['12', '9123 45678 9012 345', 'abc']) {
      const err = await api()
        ['customers.add']({ phone, takeOver: false })
        .catch((e: unknown) => e);
      reasons[phone] = (err as { details?: { reason?: string } }).details?.reason;
    }
    expect(reasons).toEqual({ '12': 'TOO_SHORT', '9123 45678 9012 345': 'TOO_LONG', abc: 'NOT_A_NUMBER' });
  });

  it('refuses a 10,000-character name before anything is written', () => {
    const parsed = consoleApi['customers.add'].input.safeParse({
      phone: '91234567',
      name: '名'.repeat(10_000),
    });
    expect(parsed.success).toBe(false);
  });

  it("turns the hub's answers into states, latest request per number first", async () => {
    const first = await api()['customers.add']({ phone: '+85261234567', name: 'Gigi', takeOver: false });
    const details = {
      staffId: 'staff-s002',
      staffName: '吳建宏',
      role: 'sales_associate',
      branchName: '台北信義店',
    };
    await writeTransaction(db, (trx) =>
      markAnswers(
        trx,
        [
          {
            id: first.id,
            status: 'rejected',
            code: 'CUSTOMER_TAKEOVER_UNCONFIRMED',
            message: 'confirm',
            details,
          },
        ],
        clock.now(),
      ),
    );
    let [request] = await api()['customers.addRequests'](undefined);
    expect(request).toMatchObject({
      state: 'needs_confirmation',
      name: 'Gigi',
      currentStaff: { displayName: '吳建宏', role: 'sales_associate' },
      currentBranchName: '台北信義店',
    });
    clock.advance(1000);
    const confirmed = await api()['customers.add']({ phone: '+85261234567', name: 'Gigi', takeOver: true });
    await writeTransaction(db, (trx) =>
      markAnswers(trx, [{ id: confirmed.id, status: 'applied' }], clock.now()),
    );
    const requests = await api()['customers.addRequests'](undefined);
    expect(requests).toHaveLength(1);
    [request] = requests;
    expect(request).toMatchObject({ state: 'added', takeOver: true });
  });
});

describe('customers.broadcast', () => {
  const templates = [{ name: 'spring_sale', language: 'zh_HK', preview: '春季優惠' }];

  it('queues a LINE text, refuses a channel the brand does not have and an unapproved template', async () => {
    await pull([
      upsert(
        'brand',
        brand({
          channels: {
            line: { basicId: '@omo' },
            whatsapp: null,
            bindingPrefix: '聯絡專員',
            bindingSuffix: '',
          },
        }),
      ),
    ]);
    const view = await api()['customers.broadcast']({ channel: 'line', text: '週末全店 9 折' });
    expect(view).toMatchObject({ state: 'queued', channel: 'line', summary: '週末全店 9 折' });
    await expect(
      api()['customers.broadcast']({ channel: 'whatsapp', templateName: 'spring_sale', language: 'zh_HK' }),
    ).rejects.toMatchObject({ code: 'CHANNEL_NOT_CONFIGURED' });

    await pull([
      upsert(
        'brand',
        brand({
          channels: {
            line: null,
            whatsapp: { phoneNumber: '85230001234', templates },
            bindingPrefix: '',
            bindingSuffix: '',
          },
        }),
      ),
    ]);
    await expect(
      api()['customers.broadcast']({ channel: 'whatsapp', templateName: 'made_up', language: 'zh_HK' }),
    ).rejects.toMatchObject({ code: 'TEMPLATE_NOT_APPROVED' });
    expect((await readAll(db)).map((e) => e.mutation.kind)).toEqual(['broadcast.send']);
  });

  it("shows the hub's progress once answered", async () => {
    await pull([
      upsert(
        'brand',
        brand({
          channels: {
            line: null,
            whatsapp: { phoneNumber: '85230001234', templates },
            bindingPrefix: '',
            bindingSuffix: '',
          },
        }),
      ),
    ]);
    const view = await api()['customers.broadcast']({
      channel: 'whatsapp',
      templateName: 'spring_sale',
      language: 'zh_HK',
    });
    await writeTransaction(db, (trx) => markAnswers(trx, [{ id: view.id, status: 'applied' }], clock.now()));
    await pull(
      [
        {
          seq: ++seq,
          entity: 'broadcast',
          op: 'upsert',
          id: view.id,
          data: {
            id: view.id,
            brandId: 'brand-1',
            staffId: staff.id,
            channel: 'whatsapp',
            summary: 'spring_sale',
            state: 'done',
            total: 3,
            sent: 2,
            failed: 1,
            requestedAt: clock.now().toISOString(),
            updatedAt: clock.now().toISOString(),
          },
        },
      ],
      mine,
    );
    expect(await api()['customers.broadcasts'](undefined)).toEqual([
      expect.objectContaining({
        id: view.id,
        state: 'done',
        total: 3,
        sent: 2,
        failed: 1,
        summary: 'spring_sale',
      }),
    ]);
  });
});

describe('customers.exportCsv', () => {
  it('writes the viewed list with a BOM, Chinese headers and formulas defused', async () => {
    await pull([upsert('brand', brand()), upsert('branch', branch), upsert('staff', staffRow(staff))]);
    await pull(
      [
        upsert('customer', customer('c-1', { displayName: '王小明', phone: '+886912345678' })),
        upsert('customer', customer('c-2', { displayName: '=HYPERLINK("x")', channel: 'whatsapp' })),
      ],
      mine,
    );
    const { csv, filename } = await api()['customers.exportCsv']({
      list: 'mine',
      channel: 'line',
      search: '',
    });
    expect(filename).toMatch(/^customers-mine-2026-03-10\.csv$/);
    expect(csv.startsWith('\ufeff姓名,管道,電話,綁定分店,綁定人員,綁定時間\r\n')).toBe(true);
    // The phone stays text in Excel (neither a formula nor a number): the text formula ="…".
    expect(csv).toContain(
      '王小明,LINE,"=""+886 912 345 678""",台北信義店,銷售人員 - 林小美,2026-03-01 08:00:00',
    );
    expect(csv).not.toContain('HYPERLINK');
    const all = await api()['customers.exportCsv']({ list: 'mine', channel: 'all', search: '' });
    expect(all.csv).toContain(`"'=HYPERLINK(""x"")"`);
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
