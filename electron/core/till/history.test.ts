import type { Knex } from 'knex';
import { parse } from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setMeta } from '../store/meta';
import { writeTransaction } from '../store/transaction';
import { escapeLike, historyPage } from './history';
import { openTillFixture, pullChanges, replicated } from '../../testing/till';

type Fixture = Awaited<ReturnType<typeof openTillFixture>>;

describe('till history and CSV export', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await openTillFixture();
    for (const [claimId, code] of [
      ['cl-fixed', 'FX0001'],
      ['cl-fixed2', 'FX0002'],
      ['cl-fixed3', 'FX0003'],
    ] as const) {
      await f.call['till.redeem']({ claimId, scannedCode: code });
      f.clock.advance(60_000);
    }
    await pullChanges(f, [
      { seq: 1, entity: 'redemption', op: 'upsert', id: replicated().id, data: replicated() },
    ]);
  });
  afterEach(() => f.close());

  const history = (scope: 'device' | 'branch', search?: string, limit = 100, offset = 0) =>
    f.call['till.history']({ scope, limit, offset, ...(search !== undefined ? { search } : {}) });

  it("lists this device's redemptions or the branch's, newest first, with paging", async () => {
    const mine = await history('device');
    expect(mine.total).toBe(3);
    expect(mine.items.map((i) => i.code)).toEqual(['FX0003', 'FX0002', 'FX0001']);
    expect(mine.items.every((i) => i.ownDevice && i.syncState === 'queued')).toBe(true);

    const branch = await history('branch');
    expect(branch.total).toBe(4);
    expect(branch.items.at(-1)).toMatchObject({
      code: 'CC0001',
      ownDevice: false,
      deviceName: '櫃台 2',
      staffName: '李經理',
      syncState: 'synced',
    });
    const page2 = await history('branch', undefined, 2, 2);
    expect(page2).toMatchObject({ total: 4 });
    expect(page2.items.map((i) => i.code)).toEqual(['FX0001', 'CC0001']);
  });

  it('searches code or customer name, partial and case-insensitive, taking % and _ literally', async () => {
    expect((await history('branch', 'fx00')).items.map((i) => i.code)).toEqual([
      'FX0003',
      'FX0002',
      'FX0001',
    ]);
    expect((await history('branch', '美麗')).items.map((i) => i.customerName)).toEqual(['陳美麗']);
    expect((await history('branch', 'amy')).items.map((i) => i.customerName)).toEqual(['Amy Wong']);
    expect((await history('branch', '%')).items.map((i) => i.customerName)).toEqual(['50%會員']);
    expect((await history('branch', '_')).total).toBe(0);
    expect((await history('device', 'CC0001')).total).toBe(0);
    expect(escapeLike('50%_\\')).toBe('50\\%\\_\\\\');
  });

  it('exports CSV for Excel: BOM, header in the console language, one row per redemption with its sync state', async () => {
    const out = await f.call['till.exportCsv']({ scope: 'branch' });
    expect(out.filename).toBe('redemptions-A01-2026-03-10.csv');
    expect(out.csv.startsWith('\ufeff')).toBe(true);
    const rows = parse<string[]>(out.csv.slice(1).trim()).data;
    expect(rows).toHaveLength(1 + 4);
    expect(rows[0]).toEqual([
      '兌換時間',
      '序號',
      '優惠券',
      '顧客',
      '分店',
      '裝置',
      '人員',
      '同步狀態',
      '衝突處理',
    ]);
    expect(rows[1]).toEqual([
      '2026-03-10 12:02:00',
      'FX0003',
      '春季折價券',
      '50%會員',
      '信義店',
      '櫃台 1',
      '王小明',
      '待同步',
      '',
    ]);

    await writeTransaction(f.db, (trx) => setMeta(trx, { locale: 'en' }));
    const en = await f.call['till.exportCsv']({ scope: 'device', search: '美麗' });
    const enRows = parse<string[]>(en.csv.slice(1).trim()).data;
    expect(enRows[0]![0]).toBe('Redeemed at');
    expect(enRows).toHaveLength(2);
    expect(enRows[1]![7]).toBe('Queued');
  });

  it('reads a page of either scope along the time index, and counts open conflicts on their own index', async () => {
    const me = { deviceId: 'device-1', branchId: 'branch-1', brandId: 'brand-1' };
    const plan = async (sql: { sql: string; bindings: readonly Knex.Value[] }) =>
      ((await f.db.raw(`EXPLAIN QUERY PLAN ${sql.sql}`, sql.bindings)) as { detail: string }[])
        .map((r) => r.detail)
        .join(' | ');
    for (const scope of ['device', 'branch'] as const) {
      const page = historyPage(f.db, me, { scope, limit: 50, offset: 0 }).toSQL().toNative();
      expect(await plan(page)).toMatch(/SCAN r USING INDEX till_redemptions_time/);
      expect(await plan(page)).not.toMatch(/TEMP B-TREE/);
    }
    const open = await plan({
      sql: "SELECT count(*) FROM till_redemptions WHERE state = 'conflict' AND resolution IS NULL",
      bindings: [],
    });
    expect(open).toMatch(/till_redemptions_conflicts/);
  });
});
