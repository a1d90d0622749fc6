/** Channel secrets at rest: sealed in the rows, opened for use, and still opened after a key rotation. */
import { afterEach, describe, expect, it } from 'vitest';
import { testDbKinds } from '../testing/databases';
import { startChannelHub, TEST_LINE, TEST_WA, type ChannelHub } from '../webhooks/testing';
import { open, seal, sealChannelSecrets, useSecretKeys } from './secretBox';
import { toChannel } from './store';

describe('secretBox', () => {
  it('opens what it sealed, with the key that sealed it, also after that key became an old one', () => {
    useSecretKeys(['key-one']);
    const sealed = seal('line-channel-secret');
    expect(sealed).toMatch(/^enc:v1:[0-9a-f]{12}:/);
    expect(sealed).not.toContain('line-channel-secret');
    expect(open(sealed)).toBe('line-channel-secret');
    useSecretKeys(['key-two', 'key-one']);
    expect(open(sealed)).toBe('line-channel-secret');
    expect(seal('x').split(':')[2]).not.toBe(sealed.split(':')[2]);
    // One ciphertext character changed (the second-to-last: all six of its bits are data).
    const tampered = sealed.slice(0, -2) + (sealed.at(-2) === 'A' ? 'B' : 'A') + sealed.slice(-1);
    expect(open(tampered)).toBe('');
  });
});

describe.each(testDbKinds())('channel secrets in the database on %s', (kind) => {
  let h: ChannelHub | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('holds no secret in plain text: rows written before are sealed at start, new ones when written', async () => {
    h = await startChannelHub(kind);
    // The fixture wrote plain rows straight into the table before the hub started (as a hub from
    // before encryption did): the start sealed them, so nothing is left to seal.
    expect(await sealChannelSecrets(h.hub.db)).toBe(0);
    const res = await fetch(`${h.hub.url}/api/admin/channels/${TEST_LINE.id}`, {
      method: 'PATCH',
      headers: { authorization: 'Bearer test-admin-token', 'content-type': 'application/json' },
      body: JSON.stringify({ channelSecret: 'brand-new-line-secret' }),
    });
    expect(res.status).toBe(200);
    const raw = JSON.stringify(await h.hub.db('channels'));
    for (const plain of [
      'brand-new-line-secret',
      TEST_LINE.accessToken,
      TEST_WA.appSecret,
      TEST_WA.verifyToken,
      TEST_WA.accessToken,
    ])
      expect(raw).not.toContain(plain);
    const line = toChannel(await h.hub.db('channels').where({ id: TEST_LINE.id }).first());
    expect(line).toMatchObject({
      channelSecret: 'brand-new-line-secret',
      accessToken: TEST_LINE.accessToken,
    });
  });
});
