/**
 * Fuzzing the hub's HTTP surface with fast-check (seeded, so a failure replays): both webhook
 * routes (mostly signed correctly, so the bodies reach the code behind the signature), the
 * WhatsApp handshake, every admin route and random paths — with generated bodies (platform shapes
 * with a field replaced, arbitrary JSON, deep nesting, NUL and lone surrogates, over-long ids, raw
 * bytes, bodies past the limit), headers (content types, encodings, signatures, tokens) and path
 * and query values. Every answer must be 2xx or a 4xx with an error code, the hub must stay up,
 * and afterwards nothing may be half-written.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDbKinds } from '../testing/databases';
import { lineSignature, whatsappSignature } from '../webhooks/signature';
import {
  lineTextEvent,
  startChannelHub,
  TEST_LINE,
  TEST_WA,
  waTextBody,
  type ChannelHub,
} from '../webhooks/testing';
import { adminRoutes } from './admin/routes';

const RUNS = Number(process.env.HUB_FUZZ_RUNS ?? 1200);
const SEED = Number(process.env.HUB_FUZZ_SEED ?? 20261204);
const BODY_LIMIT = 64 * 1024;
const ADMIN = 'Bearer test-admin-token';

interface Fuzzed {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** What kind of request this is, for the count of distinct shapes. */
  shape: string;
}

// ---------------------------------------------------------------------------------------------
// Bodies

/** A value to put where a platform puts something else. */
const oddValue = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'grapheme', minLength: 150, maxLength: 600 }),
  fc.constantFrom('', '\u0000', 'a\u0000b', '\ud800', '\u202e', '%00', '../../etc', 'null', '1e309'),
  fc.integer({ min: 1, max: 40 }).map((n) => JSON.parse('['.repeat(n) + ']'.repeat(n)) as unknown),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, -1, 0, 1.5, true, null),
);

const userId = fc.oneof(
  { weight: 3, arbitrary: fc.constant('U4af4980629a1b2c3d4e5f60718293a4b') },
  { weight: 3, arbitrary: fc.stringMatching(/^U[0-9a-f]{32}$/) },
  { weight: 1, arbitrary: fc.string({ maxLength: 300 }) },
);
const text = fc.oneof(
  fc.constantFrom('聯絡專員A101', '聯絡專員 ａ１０１', '聯絡專員B201', 'hello'),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

function setField(target: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  return { ...target, [key]: value };
}

/** A LINE webhook body: the real shape, sometimes with one field of an event replaced. */
const lineBodyArb = fc
  .record({
    events: fc.array(
      fc.record({
        user: userId,
        text,
        type: fc.constantFrom('message', 'message', 'message', 'follow', 'unfollow', 'postback', 'join'),
        eventId: fc.option(fc.string({ minLength: 1, maxLength: 400 }), { nil: undefined, freq: 4 }),
        replace: fc.option(
          fc.tuple(
            fc.constantFrom(
              'type',
              'webhookEventId',
              'timestamp',
              'source',
              'message',
              'replyToken',
              'mode',
              'x',
            ),
            oddValue,
          ),
          { nil: undefined, freq: 2 },
        ),
      }),
      { maxLength: 4 },
    ),
    destination: fc.oneof(
      { weight: 6, arbitrary: fc.constant(TEST_LINE.destination) },
      { weight: 1, arbitrary: fc.string({ maxLength: 300 }) },
    ),
  })
  .map(({ events, destination }) => ({
    shape: 'line-shaped',
    json: {
      destination,
      events: events.map((e) => {
        let event: Record<string, unknown> = {
          ...lineTextEvent({
            userId: e.user,
            text: e.text,
            ...(e.eventId ? { webhookEventId: e.eventId } : {}),
          }),
          type: e.type,
        };
        if (e.replace) event = setField(event, e.replace[0], e.replace[1]);
        return event;
      }),
    } as unknown,
  }));

/** A WhatsApp webhook body: the real shape, sometimes with one field replaced. */
const waBodyArb = fc
  .record({
    waId: fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom('85291234567', '85260000001') },
      { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
    ),
    text,
    name: fc.string({ unit: 'grapheme', maxLength: 400 }),
    messageId: fc.option(fc.string({ minLength: 1, maxLength: 400 }), { nil: undefined }),
    status: fc.boolean(),
    replace: fc.option(fc.tuple(fc.constantFrom('from', 'id', 'timestamp', 'type', 'text', 'x'), oddValue), {
      nil: undefined,
    }),
  })
  .map((o) => {
    const body = JSON.parse(
      waTextBody({
        waId: o.waId,
        name: o.name,
        text: o.text,
        ...(o.messageId ? { messageId: o.messageId } : {}),
      }),
    ) as { entry: { changes: { value: Record<string, unknown> }[] }[] };
    const value = body.entry[0]!.changes[0]!.value;
    if (o.status) {
      value.statuses = [
        { id: o.messageId ?? 'wamid.x', status: 'delivered', timestamp: '1772330400', recipient_id: o.waId },
      ];
      delete value.messages;
    } else if (o.replace) {
      const messages = value.messages as Record<string, unknown>[];
      messages[0] = setField(messages[0]!, o.replace[0], o.replace[1]);
    }
    return { shape: o.status ? 'wa-status-shaped' : 'wa-shaped', json: body as unknown };
  });

/** Anything at all, as bytes, with what it is. */
const rawBodyArb = (platform: fc.Arbitrary<{ shape: string; json: unknown }>) =>
  fc.oneof(
    {
      weight: 5,
      arbitrary: platform.map((b) => ({ shape: b.shape, bytes: Buffer.from(JSON.stringify(b.json)) })),
    },
    {
      weight: 2,
      arbitrary: fc
        .jsonValue({ maxDepth: 6 })
        .map((v) => ({ shape: 'json', bytes: Buffer.from(JSON.stringify(v) ?? 'null') })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.integer({ min: 20, max: 6000 }), fc.constantFrom('[', '{"a":'))
        .map(([n, open]) => ({
          shape: `deep-${open === '[' ? 'array' : 'object'}`,
          bytes: Buffer.from(open.repeat(n) + '1' + (open === '[' ? ']' : '}').repeat(n)),
        })),
    },
    {
      weight: 1,
      arbitrary: fc.uint8Array({ maxLength: 3000 }).map((b) => ({ shape: 'bytes', bytes: Buffer.from(b) })),
    },
    {
      weight: 1,
      arbitrary: fc.integer({ min: BODY_LIMIT - 100, max: BODY_LIMIT + 5000 }).map((n) => ({
        shape: 'near-limit',
        bytes: Buffer.from(JSON.stringify({ destination: 'x'.repeat(n) })),
      })),
    },
    {
      weight: 1,
      arbitrary: fc
        .string({ unit: 'binary', maxLength: 500 })
        .map((s) => ({ shape: 'text', bytes: Buffer.from(s) })),
    },
  );

const contentType = fc.constantFrom(
  'application/json',
  'application/json',
  'application/json',
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  '',
);
const encoding = fc.oneof(
  { weight: 12, arbitrary: fc.constant('') },
  { weight: 1, arbitrary: fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'x-unknown') },
);

const withHeaders = (base: Record<string, string>, type: string, enc: string): Record<string, string> => ({
  ...base,
  ...(type ? { 'content-type': type } : {}),
  ...(enc ? { 'content-encoding': enc } : {}),
});

// ---------------------------------------------------------------------------------------------
// Requests

const signatureMode = fc.constantFrom('right', 'right', 'right', 'right', 'wrong', 'missing', 'garbage');

const lineRequest: fc.Arbitrary<Fuzzed> = fc
  .tuple(rawBodyArb(lineBodyArb), signatureMode, contentType, encoding)
  .map(([body, sig, type, enc]) => ({
    method: 'POST',
    path: '/webhooks/line',
    headers: withHeaders(
      sig === 'missing'
        ? {}
        : {
            'x-line-signature':
              sig === 'right'
                ? lineSignature(body.bytes, TEST_LINE.channelSecret)
                : sig === 'wrong'
                  ? lineSignature(body.bytes, 'not-the-secret')
                  : '!!not base64!!',
          },
      type,
      enc,
    ),
    body: body.bytes,
    shape: `line:${body.shape}:${sig}`,
  }));

const whatsappRequest: fc.Arbitrary<Fuzzed> = fc
  .tuple(rawBodyArb(waBodyArb), signatureMode, contentType, encoding)
  .map(([body, sig, type, enc]) => ({
    method: 'POST',
    path: '/webhooks/whatsapp',
    headers: withHeaders(
      sig === 'missing'
        ? {}
        : {
            'x-hub-signature-256':
              sig === 'right'
                ? whatsappSignature(body.bytes, TEST_WA.appSecret)
                : sig === 'wrong'
                  ? whatsappSignature(body.bytes, 'not-the-secret')
                  : 'sha256=zz',
          },
      type,
      enc,
    ),
    body: body.bytes,
    shape: `whatsapp:${body.shape}:${sig}`,
  }));

const queryValue = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.constantFrom('%00', '-1', '1e9', '', '0', '100000', 'true'),
);
/** Percent-encodes the UTF-8 bytes of any string (encodeURIComponent throws on a lone surrogate). */
const pct = (s: string): string =>
  [...Buffer.from(s, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).padStart(2, '0')}`,
    )
    .join('');
const encodeQuery = (pairs: [string, string][]): string =>
  pairs.length === 0 ? '' : `?${pairs.map(([k, v]) => `${pct(k)}=${pct(v)}`).join('&')}`;

const handshakeRequest: fc.Arbitrary<Fuzzed> = fc
  .record({
    mode: fc.oneof(fc.constant('subscribe'), queryValue),
    token: fc.oneof(fc.constant(TEST_WA.verifyToken), queryValue),
    challenge: queryValue,
  })
  .map((q) => ({
    method: 'GET',
    path: `/webhooks/whatsapp${encodeQuery([
      ['hub.mode', q.mode],
      ['hub.verify_token', q.token],
      ['hub.challenge', q.challenge],
    ])}`,
    headers: {},
    shape: 'handshake',
  }));

/** A path parameter: a real id of the fixture, or anything, percent-encoded. */
const paramValue = (real: string[]) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...real) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 120 }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '\u0000',
        '..',
        '%',
        ' ',
        'a/b',
        '\ud83d',
        'x'.repeat(99),
        'y'.repeat(101),
        'z'.repeat(400),
      ),
    },
  );

/** A name-like string: anything printable, CJK and emoji included, sometimes past the bounds. */
const someName = fc.oneof(
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }),
  fc.constantFrom('台北信義店', 'Amy 😀', ' padded ', 'x'.repeat(101), '\u0001ctl'),
);

/** What each admin write expects, filled with generated values (so many get through). */
const validAdminBodies: Record<string, fc.Arbitrary<unknown>> = {
  createBrand: fc.record({ name: someName }),
  createBranch: fc.record({ name: someName, code: fc.stringMatching(/^[A-Z0-9]{2,10}$/) }),
  createStaff: fc.record({
    role: fc.constantFrom('sales_associate', 'supervisor', 'admin'),
    staffCode: fc.stringMatching(/^[A-Z][0-9]{2,5}$/),
    displayName: someName,
    pin: fc.stringMatching(/^\d{4,8}$/),
  }),
  createClaim: fc.record(
    { code: fc.option(fc.stringMatching(/^[A-Z0-9]{6,20}$/), { nil: undefined }) },
    { requiredKeys: [] },
  ),
  createCustomer: fc.record({
    channel: fc.constantFrom('line', 'whatsapp'),
    channelUserId: fc.stringMatching(/^[A-Za-z0-9]{1,60}$/),
    displayName: someName,
  }),
};

/** A body for an admin write: something like what the route wants, or anything. */
const adminBody = fc.oneof(
  fc.record(
    {
      name: fc.oneof(fc.string({ maxLength: 40 }), oddValue),
      code: fc.oneof(fc.stringMatching(/^[A-Z]{2,6}$/), oddValue),
      staffCode: fc.oneof(fc.stringMatching(/^[A-Z][0-9]{3}$/), oddValue),
      displayName: fc.string({ maxLength: 40 }),
      pin: fc.oneof(fc.stringMatching(/^\d{4}$/), oddValue),
      role: fc.constantFrom('sales_associate', 'sales_manager', 'admin', 'nope'),
      branchId: fc.oneof(fc.constant(null), fc.string({ maxLength: 20 })),
      timeZone: fc.constantFrom('Asia/Taipei', 'Mars/Olympus', ''),
      verifyMaxAttempts: fc.oneof(fc.integer({ min: -5, max: 30 }), oddValue),
      customers: fc.array(
        fc.record({
          channel: fc.constantFrom('line', 'whatsapp'),
          channelUserId: fc.string(),
          displayName: fc.string(),
        }),
        { maxLength: 3 },
      ),
      claims: fc.array(fc.record({ customerId: fc.option(fc.string()) }), { maxLength: 3 }),
    },
    { requiredKeys: [] },
  ),
  fc.jsonValue({ maxDepth: 5 }),
);

function adminRequest(ids: Record<string, string[]>): fc.Arbitrary<Fuzzed> {
  return fc
    .record({
      route: fc.constantFrom(...adminRoutes),
      brandId: paramValue(ids.brandId!),
      couponId: paramValue(ids.couponId!),
      channelId: paramValue(ids.channelId!),
      query: fc.array(fc.tuple(fc.constantFrom('limit', 'offset', 'q', 'staffId', 'x', ''), queryValue), {
        maxLength: 3,
      }),
      body: fc.option(rawBodyArb(adminBody.map((json) => ({ shape: 'admin-shaped', json }))), {
        nil: undefined,
      }),
      auth: fc.constantFrom(ADMIN, ADMIN, ADMIN, ADMIN, 'Bearer nope', ''),
      type: contentType,
      valid: fc.oneof(
        ...Object.entries(validAdminBodies).map(([op, arb]) => arb.map((json) => ({ op, json }))),
      ),
      useValid: fc.boolean(),
    })
    .map((o) => {
      if (o.useValid && o.route.method !== 'GET') {
        // The route whose body this is, with real ids in its path.
        const route = adminRoutes.find((r) => r.operationId === o.valid.op)!;
        o = {
          ...o,
          route,
          brandId: ids.brandId![0]!,
          couponId: o.couponId && ids.couponId!.includes(o.couponId) ? o.couponId : ids.couponId![0]!,
          auth: ADMIN,
          type: 'application/json',
          body: { shape: `valid-${o.valid.op}`, bytes: Buffer.from(JSON.stringify(o.valid.json)) },
        };
      }
      const path = o.route.path.replace(/:(\w+)/g, (_, name: string) =>
        pct((o as unknown as Record<string, string>)[name] ?? 'x'),
      );
      return {
        method: o.route.method,
        path: `/api/admin${path}${encodeQuery(o.query)}`,
        headers: withHeaders(o.auth ? { authorization: o.auth } : {}, o.body ? o.type : '', ''),
        ...(o.body && o.route.method !== 'GET' ? { body: o.body.bytes } : {}),
        shape: `admin:${o.route.operationId}:${o.body && o.route.method !== 'GET' ? o.body.shape : 'nobody'}:${o.auth === ADMIN ? 'auth' : 'noauth'}`,
      };
    });
}

const randomRequest: fc.Arbitrary<Fuzzed> = fc
  .record({
    method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'),
    path: fc.oneof(
      fc.webPath(),
      fc.constantFrom(
        '/api/admin',
        '/api/admin/',
        '/webhooks',
        '/webhooks/line/x',
        '/%00',
        '/api/openapi.json',
        '/healthz',
        '/api/devices/enroll',
      ),
    ),
    body: fc.option(rawBodyArb(fc.jsonValue().map((json) => ({ shape: 'any', json }))), { nil: undefined }),
    type: contentType,
  })
  .map((o) => ({
    method: o.method,
    path: o.path.startsWith('/') ? o.path : `/${o.path}`,
    headers: withHeaders({ authorization: ADMIN }, o.body ? o.type : '', ''),
    ...(o.body && o.method !== 'GET' ? { body: o.body.bytes } : {}),
    shape: `random:${o.method}:${o.body && o.method !== 'GET' ? o.body.shape : 'nobody'}`,
  }));

// ---------------------------------------------------------------------------------------------

describe.each(testDbKinds())('the hub under fuzzed HTTP on %s', (kind) => {
  let h: ChannelHub;
  beforeAll(async () => {
    h = await startChannelHub(kind, { webhookBodyLimit: BODY_LIMIT });
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  it(`answers ${RUNS} generated requests with 2xx or a coded 4xx, stays up and leaves nothing half-written`, async () => {
    const ids = {
      brandId: [h.fixture.brandId],
      couponId: Object.values(h.fixture.coupons),
      channelId: [TEST_LINE.id, TEST_WA.id],
    };
    const request = fc.oneof(
      { weight: 4, arbitrary: lineRequest },
      { weight: 3, arbitrary: whatsappRequest },
      { weight: 1, arbitrary: handshakeRequest },
      { weight: 4, arbitrary: adminRequest(ids) },
      { weight: 1, arbitrary: randomRequest },
    );
    const tables = [
      ['brands', 'brand'],
      ['branches', 'branch'],
      ['staff', 'staff'],
      ['coupons', 'coupon'],
      ['claims', 'claim'],
    ] as const;
    const before = new Map<string, Set<string>>();
    for (const [table] of tables) before.set(table, new Set(await h.t.db(table).pluck('id')));
    const stats = {
      requests: 0,
      unsendable: 0,
      byStatus: new Map<number, number>(),
      shapes: new Set<string>(),
    };
    const bad: string[] = [];

    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        let res: Response;
        try {
          res = await fetch(`${h.hub.url}${r.path}`, {
            method: r.method,
            headers: r.headers,
            ...(r.body ? { body: new Uint8Array(r.body) } : {}),
          });
        } catch (err) {
          // fetch itself refuses some requests (a header value it cannot send): nothing reached the hub.
          if (err instanceof TypeError && !/fetch failed/.test(err.message)) {
            stats.unsendable++;
            return;
          }
          throw err;
        }
        stats.requests++;
        stats.byStatus.set(res.status, (stats.byStatus.get(res.status) ?? 0) + 1);
        stats.shapes.add(`${r.shape}:${res.status}`);
        const answer = await res.text();
        if (res.status >= 500)
          bad.push(
            `${r.method} ${r.path.slice(0, 120)} [${r.shape}] → ${res.status} ${answer.slice(0, 200)}`,
          );
        expect(res.status, `${r.method} ${r.path.slice(0, 200)} [${r.shape}]`).toBeLessThan(500);
        if (res.status >= 400) {
          const body = JSON.parse(answer) as { error?: { code?: unknown } };
          expect(typeof body.error?.code, `${r.shape} ${res.status} ${answer.slice(0, 200)}`).toBe('string');
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );

    // Still up, and every webhook it took is processed without a failed commit.
    expect((await fetch(`${h.hub.url}/healthz`)).status).toBe(200);
    await h.hub.channels.idle();
    const db = h.t.db;
    expect(await db('webhook_inbox').whereNotNull('error').select('event_key', 'error')).toEqual([]);
    for (const row of await db('webhook_inbox').select('payload')) JSON.parse(String(row.payload));
    // Every catalog row an admin write made has its change row (one transaction each).
    let written = 0;
    for (const [table, entity] of tables) {
      const orphans = (
        (await db(table)
          .whereNotExists(
            db('changes').whereRaw('changes.entity_id = ??.id', [table]).where('changes.entity', entity),
          )
          .pluck('id')) as string[]
      ).filter((id) => !before.get(table)!.has(id));
      written += ((await db(table).pluck('id')) as string[]).filter(
        (id) => !before.get(table)!.has(id),
      ).length;
      expect(orphans, `${table} without a change`).toEqual([]);
    }
    // A bound customer always has the binding's history.
    const unbooked = await db('customers')
      .whereNotNull('bound_staff_id')
      .whereNotExists(db('binding_history').whereRaw('binding_history.customer_id = customers.id'))
      .pluck('id');
    expect(unbooked).toEqual([]);
    expect(bad).toEqual([]);

    const statuses = [...stats.byStatus.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`);
    console.log(
      `[fuzz ${kind}] requests ${stats.requests}, distinct shapes ${stats.shapes.size}, 5xx ${bad.length}, ` +
        `unsendable ${stats.unsendable}, rows written by admin routes ${written}, ` +
        `inbox events ${await db('webhook_inbox')
          .count({ n: '*' })
          .first()
          .then((r) => Number(r?.n))}, ` +
        `statuses ${statuses.join(' ')}`,
    );
  }, 120_000);
});
