/**
 * Closing a branch from the back office: refused while people or tills still work there (with a
 * reason beside the field), then a closed branch takes no new staff, devices or accounts, keeps
 * its history, and can be reopened. Every step is one audit row or none.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { testDbKinds } from '../../testing/databases';
import { startAdminHarness, type AdminHarness } from './testing';

describe.each(testDbKinds())('closing a branch on %s', (kind) => {
  let h: AdminHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('refuses while staff or devices remain, then closes, refuses new people there, and reopens', async () => {
    h = await startAdminHarness(kind);
    const { call, brand, txg } = h;
    const admin = (await h.signIn('admin@a.test')).caller;
    const staff = (
      await call('POST', `/brands/${brand.id}/staff`, admin, {
        role: 'sales_associate',
        branchId: txg.id,
        staffCode: 'S100',
        displayName: '王小明',
        pin: '1234',
      })
    ).body;
    const device = (
      await call('POST', `/brands/${brand.id}/devices`, admin, { branchId: txg.id, name: 'Till' })
    ).body;
    const audits = async () => Number((await h!.db('audit_log').count({ n: '*' }).first())?.n);
    const auditBefore = await audits();

    const busy = await call('PATCH', `/branches/${txg.id}`, admin, { closed: true });
    expect(busy.status).toBe(409);
    expect(busy.body.error).toMatchObject({
      code: 'BRANCH_NOT_EMPTY',
      details: { field: 'closed', activeStaff: 1, liveDevices: 1 },
    });
    expect(await audits()).toBe(auditBefore);

    expect((await call('PATCH', `/staff/${staff.id}`, admin, { active: false })).status).toBe(200);
    expect((await call('POST', `/devices/${device.id}/revoke`, admin)).status).toBe(200);
    const closed = await call('PATCH', `/branches/${txg.id}`, admin, { closed: true });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ id: txg.id, name: '台中公益店', closedAt: expect.any(String) });

    // Still listed (history names it), marked closed.
    const listed = await call('GET', `/brands/${brand.id}/branches`, admin);
    expect(listed.body.items.find((b: { id: string }) => b.id === txg.id).closedAt).toBe(
      closed.body.closedAt,
    );

    for (const [path, body] of [
      [
        `/brands/${brand.id}/staff`,
        { role: 'sales_associate', branchId: txg.id, staffCode: 'S101', displayName: '陳', pin: '1234' },
      ],
      [`/brands/${brand.id}/devices`, { branchId: txg.id, name: 'Till 2' }],
      [
        `/brands/${brand.id}/accounts`,
        {
          email: 'sm2@a.test',
          displayName: 'SM',
          role: 'sales_manager',
          branchId: txg.id,
          password: 'long enough pw',
        },
      ],
    ] as const) {
      const res = await call('POST', path, admin, body);
      expect([path, res.status, res.body.error.code, res.body.error.details.field]).toEqual([
        path,
        409,
        'BRANCH_CLOSED',
        'branchId',
      ]);
    }
    const reactivate = await call('PATCH', `/staff/${staff.id}`, admin, { active: true });
    expect(reactivate.status).toBe(409);

    const reopened = await call('PATCH', `/branches/${txg.id}`, admin, { closed: false, name: '台中新店' });
    expect(reopened.status).toBe(200);
    expect(reopened.body).toMatchObject({ name: '台中新店', closedAt: null });
    expect((await call('PATCH', `/staff/${staff.id}`, admin, { active: true })).status).toBe(200);

    const actions = (await h.db('audit_log').orderBy('id').select('action'))
      .map((r: { action: string }) => r.action)
      .slice(-5);
    expect(actions).toEqual(['updateStaff', 'revokeDevice', 'updateBranch', 'updateBranch', 'updateStaff']);
    const bad = await call('PATCH', `/branches/${txg.id}`, admin, {});
    expect(bad.status).toBe(400);
  });
});
