/**
 * Admin requests no query may see: a NUL or an over-long id in the path, control characters in a
 * query value, a NUL in a body string, a body nested thousands of levels deep. Each gets a coded
 * 400 before any query runs (PostgreSQL refuses a NUL in text where SQLite stores it), and nothing
 * is written.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { countRows } from '../../services/testing';
import { testDbKinds } from '../../testing/databases';
import { startChannelHub, type ChannelHub } from '../../webhooks/testing';

describe.each(testDbKinds())('admin API under hostile input on %s', (kind) => {
  let h: ChannelHub | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const call = (method: string, path: string, body?: string) =>
    fetch(`${h!.hub.url}/api/admin${path}`, {
      method,
      headers: {
        authorization: 'Bearer test-admin-token',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body }),
    });

  it('answers 400 VALIDATION_FAILED to a NUL or control character in a path, before any query', async () => {
    h = await startChannelHub(kind);
    for (const path of ['/brands/%00/branches', '/brands/a%00b/staff', '/coupons/%01/claims']) {
      const res = await call('GET', path);
      expect(res.status, path).toBe(400);
      expect(await res.json(), path).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    }
    const patch = await call('PATCH', '/channels/%00', '{}');
    expect(patch.status).toBe(400);
    // fastify refuses a path parameter over 100 characters itself, with a coded 414.
    const long = await call('GET', `/brands/${'x'.repeat(300)}/devices`);
    expect(long.status).toBe(414);
    expect(await long.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    // An ordinary unknown id is still a 404.
    expect((await call('GET', '/brands/nope/branches')).status).toBe(404);
  });

  it('refuses control characters in a query value and a NUL in a body, writing nothing', async () => {
    h = await startChannelHub(kind);
    const before = await countRows(h.t.db);
    const brandId = h.fixture.brandId;
    const query = await call('GET', `/brands/${brandId}/customers?q=a%00b`);
    expect(query.status).toBe(400);
    const body = await call('POST', '/brands', JSON.stringify({ name: 'Bad\u0000Brand' }));
    expect(body.status).toBe(400);
    expect(await body.json()).toMatchObject({
      error: { code: 'VALIDATION_FAILED', details: { issues: [{ path: 'body.name' }] } },
    });
    const branch = await call(
      'POST',
      `/brands/${brandId}/branches`,
      JSON.stringify({ name: 'x', code: 'A\u0000' }),
    );
    expect(branch.status).toBe(400);
    expect(await countRows(h.t.db)).toEqual(before);
  });

  it('answers 400 to a body nested 5,000 levels deep and stays up', async () => {
    h = await startChannelHub(kind);
    const deep = `{"name":"x","extra":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const res = await call('POST', '/brands', deep);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    expect((await call('GET', '/brands')).status).toBe(200);
  });
});
