/**
 * Signed webhooks an attacker (or a broken platform) could send: bodies nested deep enough to
 * overflow recursive code, ids longer than their columns, NUL bytes PostgreSQL refuses. Each gets
 * a coded 400 with nothing written, and never takes the good webhooks around it down.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { testDbKinds } from '../testing/databases';
import { createInbox } from './inbox';
import {
  lineBody,
  lineTextEvent,
  postLine,
  postWhatsapp,
  startChannelHub,
  TEST_LINE,
  waTextBody,
  type ChannelHub,
} from './testing';

const USER = 'U4af4980629a1b2c3d4e5f60718293a4b';

/** A value nested `levels` deep: [[[…]]] (about 2 bytes a level). */
const nested = (levels: number): string => '['.repeat(levels) + ']'.repeat(levels);

describe.each(testDbKinds())('hostile webhook bodies on %s', (kind) => {
  let h: ChannelHub | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('answers a signed body nested 4,100 levels deep with a coded 400 and writes nothing', async () => {
    h = await startChannelHub(kind);
    const event = JSON.stringify(lineTextEvent({ userId: USER, text: 'hi' }));
    const line = `{"destination":"${TEST_LINE.destination}","events":[${event.slice(0, -1)},"x":${nested(4100)}}]}`;
    const res = await postLine(h.hub, line);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: { code: 'VALIDATION_FAILED', details: { reason: 'nesting' } },
    });

    const wa = waTextBody({ waId: '85291234567', text: 'hi' }).replace(
      '"type":"text"',
      `"type":"text","x":${nested(4100)}`,
    );
    const waRes = await postWhatsapp(h.hub, wa);
    expect(waRes.status).toBe(400);
    expect(await waRes.json()).toMatchObject({ error: { details: { reason: 'nesting' } } });
    expect(await h.t.db('webhook_inbox')).toHaveLength(0);
    // The hub is still up and takes the next good webhook.
    expect((await postLine(h.hub, lineBody([lineTextEvent({ userId: USER, text: 'hi' })]))).status).toBe(200);
  });

  it('refuses an over-long event id and a NUL byte with 400 while 40 concurrent good webhooks all succeed', async () => {
    h = await startChannelHub(kind);
    const good = Array.from({ length: 40 }, (_, i) =>
      i % 2 === 0
        ? postLine(h!.hub, lineBody([lineTextEvent({ userId: USER, text: `good ${i}` })]))
        : postWhatsapp(h!.hub, waTextBody({ waId: '85291234567', text: `good ${i}` })),
    );
    const longId = postLine(
      h.hub,
      lineBody([lineTextEvent({ userId: USER, text: 'x', webhookEventId: 'E'.repeat(300) })]),
    );
    const nulText = postLine(h.hub, lineBody([lineTextEvent({ userId: USER, text: 'a\u0000b' })]));
    const nulWa = postWhatsapp(h.hub, waTextBody({ waId: '85291234567', text: 'a\u0000b' }));
    const nulKind = postLine(
      h.hub,
      lineBody([{ ...lineTextEvent({ userId: USER, text: 'x' }), type: 'mess\u0000age' }]),
    );
    const [goods, bad] = await Promise.all([
      Promise.all(good),
      Promise.all([longId, nulText, nulWa, nulKind]),
    ]);
    expect(goods.map((r) => r.status)).toEqual(good.map(() => 200));
    for (const r of bad) {
      expect(r.status).toBe(400);
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe('VALIDATION_FAILED');
    }
    expect(await h.t.db('webhook_inbox')).toHaveLength(40);
    await h.hub.channels.idle();
    const failed = await h.t.db('webhook_inbox').whereNotNull('error');
    expect(failed).toEqual([]);
  });

  it('commits every other webhook of a batch when the database refuses one of them', async () => {
    h = await startChannelHub(kind);
    const inbox = createInbox(h.t.db);
    const event = (key: string, kind: string | null) => ({
      platform: 'line' as const,
      eventKey: key,
      channelId: 'channel-line',
      kind: kind as string,
      payload: {},
    });
    const at = new Date();
    // A NOT NULL column left null: both databases refuse that row.
    const results = await Promise.allSettled([
      inbox.record([event('a', 'message')], at),
      inbox.record([event('b', null)], at),
      inbox.record([event('c', 'message')], at),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const keys = (await h.t.db('webhook_inbox').orderBy('event_key')).map((r) => r.event_key);
    expect(keys).toEqual(['a', 'c']);
  });
});
