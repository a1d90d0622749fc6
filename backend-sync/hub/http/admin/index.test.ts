import Fastify, { type FastifyInstance, type InjectOptions } from 'fastify';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { countRows, testDeps } from '../../services/testing';
import { openTestDb, testDbKinds, type TestDb } from '../../testing/databases';
import { installErrorHandler } from '../errors';
import { registerAdminRoutes } from '.';

const TOKEN = 'test-admin-token';
const auth = { authorization: `Bearer ${TOKEN}` };

describe.each(testDbKinds())('admin API on %s', (kind) => {
  let t: TestDb | undefined;
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    await t?.close();
  });

  async function start() {
    t = await openTestDb(kind);
    const deps = testDeps();
    const notified: string[] = [];
    const logLines: string[] = [];
    const logger = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) });
    app = Fastify({ loggerInstance: logger }) as unknown as FastifyInstance;
    installErrorHandler(app);
    await registerAdminRoutes(app, {
      db: t.db,
      adminToken: TOKEN,
      clock: deps.clock,
      ids: deps.ids,
      logger,
      notifyChanges: (brandId) => notified.push(brandId),
    });
    const call = async (
      method: 'GET' | 'POST',
      url: string,
      payload?: unknown,
      headers: Record<string, string> = auth,
    ) => {
      const res = await app!.inject({
        method,
        url: `/api/admin${url}`,
        headers,
        ...(payload === undefined ? {} : { payload: payload as InjectOptions['payload'] }),
      });
      return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined, raw: res.body };
    };
    const brand = (await call('POST', '/brands', { name: 'OMO' })).body;
    const tpe = (await call('POST', `/brands/${brand.id}/branches`, { name: '台北信義店', code: 'TPE' }))
      .body;
    return { db: t.db, call, brand, tpe, notified, logLines };
  }

  it('refuses a missing or wrong bearer token with 401 UNAUTHORIZED', async () => {
    const { call, brand, db } = await start();
    const before = await countRows(db);
    const headerSets: Record<string, string>[] = [
      {},
      { authorization: 'Bearer nope' },
      { authorization: TOKEN },
      { authorization: `Basic ${TOKEN}` },
    ];
    for (const headers of headerSets) {
      const res = await call('POST', `/brands/${brand.id}/branches`, { name: 'X', code: 'XX' }, headers);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.any(String) } });
      expect((await call('GET', '/brands', undefined, headers)).status).toBe(401);
    }
    expect(await countRows(db)).toEqual(before);
  });

  it('creates and lists every kind of thing, and pokes the brand after each write', async () => {
    const { call, brand, tpe, notified, logLines } = await start();
    const staff = await call('POST', `/brands/${brand.id}/staff`, {
      role: 'sales_associate',
      branchId: tpe.id,
      staffCode: 's001',
      displayName: '林小美',
      pin: '246810',
    });
    expect(staff.status).toBe(201);
    expect(staff.body.staffCode).toBe('S001');
    const device = await call('POST', `/brands/${brand.id}/devices`, { branchId: tpe.id, name: 'Till 1' });
    expect(device.body.pairingCode).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const coupon = await call('POST', `/brands/${brand.id}/coupons`, {
      name: '9 折',
      type: 'sales',
      validityMode: 'from_open',
      durationDays: 7,
      branchIds: [tpe.id],
      verificationCode: '8642',
    });
    expect(coupon.status).toBe(201);
    expect((await call('POST', `/coupons/${coupon.body.id}/publish`)).body.status).toBe('published');
    const customer = await call('POST', `/brands/${brand.id}/customers`, {
      channel: 'line',
      channelUserId: 'U1',
      displayName: 'Amy',
      boundStaffId: staff.body.id,
    });
    expect(customer.status).toBe(201);
    const claim = await call('POST', `/coupons/${coupon.body.id}/claims`, { customerId: customer.body.id });
    expect(claim.status).toBe(201);
    expect(claim.body.customerName).toBe('Amy');
    // No body at all: a claim for nobody yet, with a generated code.
    const bare = await call('POST', `/coupons/${coupon.body.id}/claims`);
    expect(bare.status).toBe(201);
    expect(bare.body).toMatchObject({ customerId: null, code: expect.stringMatching(/^[A-Z2-9]{10}$/) });

    expect((await call('GET', '/brands')).body.items).toHaveLength(1);
    expect((await call('GET', `/brands/${brand.id}/branches`)).body.items).toHaveLength(1);
    expect((await call('GET', `/brands/${brand.id}/devices`)).body.items[0].state).toBe('unused');
    expect((await call('GET', `/coupons/${coupon.body.id}/claims?limit=10`)).body).toMatchObject({
      total: 2,
      limit: 10,
    });
    expect((await call('GET', `/brands/${brand.id}/customers`)).body.total).toBe(1);

    // Secrets are write-only: not in any answer.
    const everything = [
      staff.raw,
      coupon.raw,
      (await call('GET', `/brands/${brand.id}/staff`)).raw,
      (await call('GET', `/brands/${brand.id}/coupons`)).raw,
    ].join('\n');
    expect(everything).not.toMatch(/246810|8642|scrypt|pinHash|verificationCodeHash/);
    // Nor in the log, and neither is the admin token.
    expect(logLines.length).toBeGreaterThan(10);
    expect(logLines.join('\n')).not.toMatch(new RegExp(`246810|8642|scrypt|${TOKEN}`));

    // brand + branch + staff + device + coupon + publish + customer + 2 claims
    expect(notified).toEqual(Array(9).fill(brand.id));
  });

  it('answers bad input with 400, unknown ids with 404, duplicates with 409, and writes nothing', async () => {
    const { call, brand, db, notified } = await start();
    const before = await countRows(db);
    const pokes = notified.length;

    const invalid = await call('POST', `/brands/${brand.id}/coupons`, {
      name: '',
      type: 'sales',
      validityMode: 'fixed',
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('VALIDATION_FAILED');
    expect(invalid.body.error.details.issues).toEqual(
      expect.arrayContaining([
        { path: 'name', message: expect.any(String) },
        { path: 'validFrom', message: 'a fixed window needs validFrom' },
      ]),
    );
    const badJson = await app!.inject({
      method: 'POST',
      url: `/api/admin/brands/${brand.id}/branches`,
      headers: { ...auth, 'content-type': 'application/json' },
      payload: '{"name":',
    });
    expect(badJson.statusCode).toBe(400);
    expect(JSON.parse(badJson.body).error.code).toBe('VALIDATION_FAILED');
    expect((await call('POST', `/brands/${brand.id}/branches`)).status).toBe(400);
    expect((await call('GET', `/coupons/x/claims?limit=abc`)).status).toBe(400);

    const missing = await call('POST', '/brands/nope/branches', { name: 'X', code: 'XX' });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 'NOT_FOUND', details: { entity: 'brand', id: 'nope' } });
    expect((await call('GET', '/brands/nope/staff')).status).toBe(404);
    expect((await call('POST', '/coupons/nope/publish')).status).toBe(404);
    expect((await call('GET', '/coupons/nope/claims')).status).toBe(404);

    const duplicate = await call('POST', `/brands/${brand.id}/branches`, { name: 'Again', code: 'tpe' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.code).toBe('ALREADY_EXISTS');

    expect(await countRows(db)).toEqual(before);
    expect(notified).toHaveLength(pokes);
  });

  it('describes every admin route in the OpenAPI document, with the bearer scheme', async () => {
    t = await openTestDb(kind);
    const deps = testDeps();
    app = Fastify();
    const registered: string[] = [];
    app.addHook('onRoute', (route) => {
      const methods = ([] as string[]).concat(route.method).filter((m) => m !== 'HEAD');
      for (const m of methods) registered.push(`${m.toLowerCase()} ${route.url.replace(/:(\w+)/g, '{$1}')}`);
    });
    await registerAdminRoutes(app, {
      db: t.db,
      adminToken: TOKEN,
      clock: deps.clock,
      ids: deps.ids,
      logger: pino({ level: 'silent' }),
      notifyChanges: () => undefined,
    });
    await app.ready();
    const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = JSON.parse(res.body);
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.components.securitySchemes.sessionCookie).toMatchObject({ type: 'apiKey', in: 'cookie' });

    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, ops]) => Object.keys(ops).map((method) => `${method} ${path}`),
    );
    const adminRoutes = registered.filter((r) => r.includes('/api/admin/'));
    expect(adminRoutes.length).toBeGreaterThanOrEqual(15);
    expect(documented).toEqual(
      expect.arrayContaining([...adminRoutes, 'post /api/devices/enroll', 'get /healthz']),
    );

    const createStaff = doc.paths['/api/admin/brands/{brandId}/staff'].post;
    expect(createStaff.security).toEqual([{ bearerAuth: [] }, { sessionCookie: [] }]);
    expect(createStaff['x-roles']).toEqual(['admin', 'supervisor']);
    expect(createStaff.requestBody.content['application/json'].schema.properties.pin).toBeDefined();
    expect(
      createStaff.responses['201'].content['application/json'].schema.properties.pinHash,
    ).toBeUndefined();
    expect(Object.keys(createStaff.responses)).toEqual(
      expect.arrayContaining(['201', '400', '401', '404', '409']),
    );
    const listClaims = doc.paths['/api/admin/coupons/{couponId}/claims'].get;
    expect(listClaims.parameters.map((p: { name: string }) => p.name)).toEqual([
      'couponId',
      'limit',
      'offset',
    ]);
  });
});
