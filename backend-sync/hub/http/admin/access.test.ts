/**
 * Every route in /api/openapi.json, called as every back-office role, without credentials, from
 * another brand and without the CSRF header: the role list the document publishes (x-roles) is
 * exactly who gets past the door.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_ROLES } from '../../accounts/roles';
import { testDbKinds } from '../../testing/databases';
import { startAdminHarness, type AdminHarness, type Caller } from './testing';

describe.each(testDbKinds())('admin API access on %s', (kind) => {
  let h: AdminHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  async function objects(h: AdminHarness) {
    const { call, op, brand, tpe, txg } = h;
    const staff = (
      await call('POST', `/brands/${brand.id}/staff`, op, {
        role: 'sales_associate',
        branchId: tpe.id,
        staffCode: 'S001',
        displayName: '林小美',
        pin: '1234',
      })
    ).body;
    await call('POST', `/brands/${brand.id}/staff`, op, {
      role: 'sales_associate',
      branchId: txg.id,
      staffCode: 'S002',
      displayName: '陳大文',
      pin: '1234',
    });
    const device = (await call('POST', `/brands/${brand.id}/devices`, op, { branchId: tpe.id, name: 'Till' }))
      .body;
    await call('POST', `/brands/${brand.id}/devices`, op, { branchId: txg.id, name: 'Till TXG' });
    const coupon = (
      await call('POST', `/brands/${brand.id}/coupons`, op, {
        name: '9 折',
        type: 'sales',
        validityMode: 'from_open',
        durationDays: 7,
      })
    ).body;
    const channel = (
      await call('POST', `/brands/${brand.id}/channels`, op, {
        kind: 'line',
        name: 'LINE',
        channelSecret: 's',
        accessToken: 't',
      })
    ).body;
    const token = (await call('POST', `/brands/${brand.id}/api-tokens`, op, { name: 'ERP' })).body;
    return {
      brandId: brand.id as string,
      branchId: tpe.id as string,
      staffId: staff.id as string,
      deviceId: device.id as string,
      couponId: coupon.id as string,
      channelId: channel.id as string,
      accountId: h.accounts.cs_agent.id,
      tokenId: token.id as string,
    };
  }

  async function routes(h: AdminHarness) {
    const doc = (await h.call('GET', '/api/openapi.json', {})).body as {
      paths: Record<string, Record<string, { 'x-roles'?: string[] }>>;
    };
    return Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/api/admin/') && path !== '/api/admin/session')
      .flatMap(([path, ops]) =>
        Object.entries(ops).map(([method, op]) => ({
          method: method.toUpperCase(),
          path,
          roles: op['x-roles']!,
        })),
      );
  }

  const fill = (path: string, ids: Record<string, string>) =>
    path.replace(/\{(\w+)\}/g, (_m, name: string) => {
      if (!ids[name]) throw new Error(`no test object for {${name}}`);
      return ids[name];
    });

  it('admits exactly the roles each route documents, and refuses everyone else', async () => {
    h = await startAdminHarness(kind);
    const ids = await objects(h);
    const list = await routes(h);
    expect(list.length).toBeGreaterThanOrEqual(30);

    const callers: Record<string, Caller> = {};
    for (const role of ADMIN_ROLES) callers[role] = (await h.signIn(h.accounts[role].email)).caller;
    const otherBrand = (await h.signIn('admin@b.test')).caller;

    const refused: string[] = [];
    for (const route of list) {
      expect(route.roles, `${route.method} ${route.path} documents its roles`).toBeDefined();
      const url = fill(route.path, ids);
      const body = route.method === 'GET' ? undefined : {};

      const anonymous = await h.call(route.method, url, {}, body);
      expect(anonymous.status, `${route.method} ${route.path} without credentials`).toBe(401);
      const badToken = await h.call(route.method, url, { bearer: 'omo_not-a-token' }, body);
      expect(badToken.status).toBe(401);

      for (const role of ADMIN_ROLES) {
        const res = await h.call(route.method, url, callers[role]!, body);
        const label = `${route.method} ${route.path} as ${role}`;
        if (route.roles.includes(role)) {
          expect([401, 403], label).not.toContain(res.status);
        } else {
          expect(res.status, label).toBe(403);
          expect(res.body.error.code, label).toBe('FORBIDDEN');
          refused.push(`${role} ${route.method} ${route.path}`);
        }
      }

      // Another brand's admin reaches nothing of brand A (GET /brands lists only their own).
      if (route.path !== '/api/admin/brands') {
        const res = await h.call(route.method, url, otherBrand, body);
        expect(res.status, `${route.method} ${route.path} from brand B`).toBe(403);
      }
    }
    // Spot checks of the table itself (SPEC §1): only admins enroll devices or edit channels.
    expect(refused).toContain('supervisor POST /api/admin/brands/{brandId}/devices');
    expect(refused).toContain('cs_agent PUT /api/admin/brands/{brandId}/binding-settings');
    expect(refused).toContain('sales_manager GET /api/admin/brands/{brandId}/audit');
    expect(refused).toContain('admin POST /api/admin/brands');
    expect(refused).not.toContain('sales_manager GET /api/admin/brands/{brandId}/staff');
  });

  it('refuses a session write without its CSRF token, and writes nothing', async () => {
    h = await startAdminHarness(kind);
    const admin = (await h.signIn('admin@a.test')).caller;
    const before = await h.db('branches').count({ n: '*' }).first();
    const res = await h.call(
      'POST',
      `/brands/${h.brand.id}/branches`,
      { ...admin, noCsrf: true },
      { name: 'X', code: 'XX' },
    );
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('CSRF_INVALID');
    const wrong = await h.call(
      'POST',
      `/brands/${h.brand.id}/branches`,
      { ...admin, csrf: 'guess' },
      { name: 'X', code: 'XX' },
    );
    expect(wrong.status).toBe(403);
    expect(await h.db('branches').count({ n: '*' }).first()).toEqual(before);
    const ok = await h.call('POST', `/brands/${h.brand.id}/branches`, admin, { name: 'X', code: 'XX' });
    expect(ok.status).toBe(201);
  });

  it("shows a sales manager only their own branch's rows", async () => {
    h = await startAdminHarness(kind);
    await objects(h);
    const sm = (await h.signIn('sales_manager@a.test')).caller;
    const staff = await h.call('GET', `/brands/${h.brand.id}/staff`, sm);
    expect(staff.body.items.map((s: { staffCode: string }) => s.staffCode)).toEqual(['S001']);
    const branches = await h.call('GET', `/brands/${h.brand.id}/branches`, sm);
    expect(branches.body.items.map((b: { code: string }) => b.code)).toEqual(['TPE']);
    const devices = await h.call('GET', `/brands/${h.brand.id}/devices`, sm);
    expect(devices.body.items.map((d: { name: string }) => d.name)).toEqual(['Till']);
  });

  it('lets a brand API token act as that brand’s admin until it is revoked', async () => {
    h = await startAdminHarness(kind);
    const created = await h.call('POST', `/brands/${h.brand.id}/api-tokens`, h.op, { name: 'ERP' });
    expect(created.status).toBe(201);
    const token = created.body.token as string;
    expect(token).toMatch(/^omo_/);
    expect(JSON.stringify(await h.db('api_tokens'))).not.toContain(token);
    const listed = await h.call('GET', `/brands/${h.brand.id}/api-tokens`, h.op);
    expect(JSON.stringify(listed.body)).not.toContain(token);

    expect((await h.call('GET', `/brands/${h.brand.id}/staff`, { bearer: token })).status).toBe(200);
    expect((await h.call('GET', `/brands/${h.other.id}/staff`, { bearer: token })).status).toBe(403);
    expect((await h.call('POST', '/brands', { bearer: token }, { name: 'Mine' })).status).toBe(403);
    expect((await h.call('GET', '/brands', { bearer: token })).body.items).toHaveLength(1);

    expect((await h.call('POST', `/api-tokens/${created.body.id}/revoke`, h.op)).status).toBe(200);
    expect((await h.call('GET', `/brands/${h.brand.id}/staff`, { bearer: token })).status).toBe(401);
  });
});
