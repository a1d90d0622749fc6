/** The audit log: a row per admin write with who, what, before and after; nothing for a refusal. */
import { afterEach, describe, expect, it } from 'vitest';
import { testDbKinds } from '../testing/databases';
import { auditCsv, listAudit, recordAudit } from './index';
import { startAdminHarness, type AdminHarness } from '../http/admin/testing';

describe.each(testDbKinds())('audit log on %s', (kind) => {
  let h: AdminHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('records who changed what, before and after, with secrets redacted, and lists, filters and exports it', async () => {
    h = await startAdminHarness(kind);
    const admin = (await h.signIn('admin@a.test')).caller;
    const created = await h.call('POST', `/brands/${h.brand.id}/staff`, admin, {
      role: 'sales_associate',
      branchId: h.tpe.id,
      staffCode: 'S009',
      displayName: '林小美',
      pin: '864209',
    });
    expect(created.status).toBe(201);
    const off = await h.call('PATCH', `/staff/${created.body.id}`, admin, { active: false });
    expect(off.status).toBe(200);
    await h.call('POST', `/staff/${created.body.id}/pin`, admin, { pin: '135799' });
    const refused = await h.call('PATCH', `/staff/${created.body.id}`, admin, { role: 'nope' });
    expect(refused.status).toBe(400);

    const page = await h.call('GET', `/brands/${h.brand.id}/audit?entity=staff`, admin);
    expect(page.status).toBe(200);
    const rows = page.body.items as { action: string; before: unknown }[];
    expect(rows.map((r) => r.action)).toEqual(['resetStaffPin', 'updateStaff', 'createStaff']);
    const [, update, create] = rows as [unknown, unknown, { before: unknown }];
    expect(update).toMatchObject({
      actorKind: 'user',
      actorLabel: 'admin@a.test',
      entity: 'staff',
      entityId: created.body.id,
      before: { active: true, staffCode: 'S009' },
      after: { active: false },
    });
    expect(create.before).toBeNull();
    const raw = JSON.stringify(await h.db('audit_log'));
    expect(raw).not.toContain('864209');
    expect(raw).not.toContain('135799');

    const filtered = await h.call(
      'GET',
      `/brands/${h.brand.id}/audit?action=updateStaff&actor=admin@`,
      admin,
    );
    expect(filtered.body.items).toHaveLength(1);
    const paged = await h.call('GET', `/brands/${h.brand.id}/audit?limit=2`, admin);
    expect(paged.body.items).toHaveLength(2);
    const next = await h.call(
      'GET',
      `/brands/${h.brand.id}/audit?limit=2&before=${paged.body.nextCursor}`,
      admin,
    );
    expect(next.body.items[0].id).toBeLessThan(paged.body.items[1].id);

    const csv = await h.call('GET', `/brands/${h.brand.id}/audit.csv?entity=staff`, admin);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.raw
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('id,at,actorKind,actorLabel,action,entity,entityId,before,after');
    expect(lines).toHaveLength(4);
    // Another brand's rows never show.
    const otherAdmin = (await h.signIn('admin@b.test')).caller;
    expect((await h.call('GET', `/brands/${h.brand.id}/audit`, otherAdmin)).status).toBe(403);
  });

  it('keeps no audit row for a write that failed, and the change and its row commit together', async () => {
    h = await startAdminHarness(kind);
    const admin = (await h.signIn('admin@a.test')).caller;
    const count = async () => Number((await h!.db('audit_log').count({ n: '*' }).first())?.n);
    const before = await count();
    const dup = await h.call('POST', `/brands/${h.brand.id}/branches`, admin, { name: 'Again', code: 'TPE' });
    expect(dup.status).toBe(409);
    expect(await count()).toBe(before);
    const ok = await h.call('POST', `/brands/${h.brand.id}/branches`, admin, { name: '高雄店', code: 'KHH' });
    expect(ok.status).toBe(201);
    expect(await count()).toBe(before + 1);
  });

  it('filters by part of the actor, any case, with % and _ as themselves, and exports names that cannot run in Excel', async () => {
    h = await startAdminHarness(kind);
    const at = new Date('2026-03-10T03:00:00Z');
    for (const label of [
      'first_last@a.test',
      'firstXlast@a.test',
      'Ops 100% <ops@a.test>',
      '=HYPERLINK("http://x")',
    ]) {
      await recordAudit(h.db, {
        brandId: h.brand.id,
        actor: { kind: 'api_token', id: null, label },
        action: 'test',
        entity: 'brand',
        entityId: h.brand.id,
        before: null,
        after: null,
        at,
      });
    }
    const actors = async (actor: string) =>
      (await listAudit(h!.db, h!.brand.id, { actor })).items.map((row) => row.actorLabel);
    expect(await actors('first_last')).toEqual(['first_last@a.test']);
    expect(await actors('FIRST')).toEqual(['firstXlast@a.test', 'first_last@a.test']);
    expect(await actors('100%')).toEqual(['Ops 100% <ops@a.test>']);
    const csv = auditCsv((await listAudit(h.db, h.brand.id, { action: 'test' })).items);
    expect(csv).toContain(`'=HYPERLINK(""http://x"")`);
    expect(csv).not.toMatch(/,=HYPERLINK/);
  });
});
