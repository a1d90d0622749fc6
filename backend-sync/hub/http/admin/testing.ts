/**
 * An admin API on fastify.inject over a private test database, with the operator token, one brand
 * (two branches, staff, a device, a coupon, a channel) and a back-office account per role; each
 * account can be signed in to get its cookie and CSRF token. Used by the access, session and
 * audit tests.
 */
import Fastify, { type FastifyInstance, type InjectOptions } from 'fastify';
import pino from 'pino';
import { manualClock } from '../../../domain/clock';
import type { AdminRole } from '../../accounts/roles';
import { TEST_NOW } from '../../services/testing';
import { useSecretKeys } from '../../channels/secretBox';
import { openTestDb, type TestDb } from '../../testing/databases';
import { installErrorHandler } from '../errors';
import { registerAdminRoutes } from '.';

export const OPERATOR = 'test-operator-token';
export const PASSWORD = 'correct horse battery';

export interface Caller {
  cookie?: string;
  csrf?: string;
  bearer?: string;
  /** Leave the CSRF header off (to test it is required). */
  noCsrf?: boolean;
}

/** JSON.parse's answer as it is (tests read fields freely); undefined for an empty or CSV body. */
function parseJson(text: string) {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

export type AdminHarness = Awaited<ReturnType<typeof startAdminHarness>>;

export async function startAdminHarness(kind: TestDb['kind']) {
  const t = await openTestDb(kind);
  useSecretKeys(['admin-harness-key']);
  const clock = manualClock(TEST_NOW);
  let n = 0;
  const ids = () => `id-${String(++n).padStart(4, '0')}`;
  const app = Fastify({ loggerInstance: pino({ level: 'silent' }) }) as unknown as FastifyInstance;
  installErrorHandler(app);
  await registerAdminRoutes(app, {
    db: t.db,
    adminToken: OPERATOR,
    clock,
    ids,
    logger: pino({ level: 'silent' }),
    notifyChanges: () => undefined,
  });

  async function call(method: string, url: string, who: Caller, payload?: unknown, host = 'localhost') {
    const headers: Record<string, string> = { host };
    if (who.bearer) headers.authorization = `Bearer ${who.bearer}`;
    if (who.cookie) headers.cookie = who.cookie;
    if (who.csrf && !who.noCsrf) headers['x-csrf-token'] = who.csrf;
    const res = await app.inject({
      method: method as InjectOptions['method'],
      url: url.startsWith('/api/') ? url : `/api/admin${url}`,
      headers,
      ...(payload === undefined ? {} : { payload: payload as InjectOptions['payload'] }),
    });
    return { status: res.statusCode, body: parseJson(res.body), raw: res.body, headers: res.headers };
  }

  const op: Caller = { bearer: OPERATOR };
  const brand = (await call('POST', '/brands', op, { name: 'Brand A' })).body;
  const other = (await call('POST', '/brands', op, { name: 'Brand B' })).body;
  const tpe = (await call('POST', `/brands/${brand.id}/branches`, op, { name: '台北信義店', code: 'TPE' }))
    .body;
  const txg = (await call('POST', `/brands/${brand.id}/branches`, op, { name: '台中公益店', code: 'TXG' }))
    .body;
  const otherBranch = (await call('POST', `/brands/${other.id}/branches`, op, { name: 'B1', code: 'B1' }))
    .body;

  const accounts = {} as Record<AdminRole, { id: string; email: string }>;
  for (const role of ['admin', 'supervisor', 'cs_manager', 'cs_agent', 'sales_manager'] as AdminRole[]) {
    const res = await call('POST', `/brands/${brand.id}/accounts`, op, {
      email: `${role}@a.test`,
      displayName: role,
      role,
      branchId: role === 'sales_manager' ? tpe.id : null,
      password: PASSWORD,
    });
    if (res.status !== 201) throw new Error(`account ${role}: ${res.raw}`);
    accounts[role] = res.body as { id: string; email: string };
  }
  const otherAdmin = (
    await call('POST', `/brands/${other.id}/accounts`, op, {
      email: 'admin@b.test',
      displayName: 'B admin',
      role: 'admin',
      password: PASSWORD,
    })
  ).body;

  async function signIn(email: string, password = PASSWORD, host = 'localhost') {
    const res = await call('POST', '/api/admin/session', {}, { email, password }, host);
    const setCookie = String(res.headers['set-cookie'] ?? '');
    const cookie = setCookie.split(';')[0] ?? '';
    return { res, setCookie, caller: { cookie, csrf: res.body?.csrfToken as string } satisfies Caller };
  }

  return {
    t,
    db: t.db,
    app,
    clock,
    call,
    signIn,
    op,
    brand,
    other,
    tpe,
    txg,
    otherBranch,
    accounts,
    otherAdmin,
    close: async () => {
      await app.close();
      await t.close();
    },
  };
}
