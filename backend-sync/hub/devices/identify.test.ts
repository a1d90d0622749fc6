import { afterEach, describe, expect, it } from 'vitest';
import { EnrollResponse, IdentifyResponse, PROTOCOL_VERSION } from '../../protocol';
import { deviceIdentityProof, deviceTokenHash } from '../../domain/secrets';
import { testDbKinds } from '../testing/databases';
import { startTestHub, type TestHub } from '../realtime/testing';
import { ENROLL_PATH } from './enroll';
import { IDENTIFY_PATH } from './identify';

describe.each(testDbKinds())('device identity proof on %s', (kind) => {
  let h: TestHub | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${h!.hub.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const nonce = 'n0nce-of-the-console-123';

  it('answers a nonce with the proof only the holder of the device token hash can make', async () => {
    h = await startTestHub(kind);
    const enrolled = EnrollResponse.parse(
      (
        await post(ENROLL_PATH, {
          pairingCode: h.fixture.devices.a1.pairingCode,
          deviceName: 'Counter PC',
          protocolVersion: PROTOCOL_VERSION,
        })
      ).body,
    );
    const { status, body } = await post(IDENTIFY_PATH, { deviceId: enrolled.deviceId, nonce });
    expect(status).toBe(200);
    const answer = IdentifyResponse.parse(body);
    expect(answer).toMatchObject({ deviceId: enrolled.deviceId, brandId: h.fixture.brandId });
    expect(answer.proof).toBe(deviceIdentityProof(deviceTokenHash(enrolled.deviceToken), nonce));
    // Another nonce, another proof: an answer cannot be replayed.
    const again = IdentifyResponse.parse(
      (await post(IDENTIFY_PATH, { deviceId: enrolled.deviceId, nonce: `${nonce}x` })).body,
    );
    expect(again.proof).not.toBe(answer.proof);
  });

  it('answers 404 for a device it did not enroll (unknown, or still waiting for its pairing code)', async () => {
    h = await startTestHub(kind);
    expect((await post(IDENTIFY_PATH, { deviceId: 'device-nowhere', nonce })).status).toBe(404);
    const waiting = await post(IDENTIFY_PATH, { deviceId: h.fixture.devices.a2.id, nonce });
    expect(waiting.status).toBe(404);
    expect((waiting.body.error as { code: string }).code).toBe('NOT_FOUND');
  });

  it('refuses a malformed nonce with 400', async () => {
    h = await startTestHub(kind);
    expect((await post(IDENTIFY_PATH, { deviceId: h.fixture.devices.a1.id, nonce: 'short' })).status).toBe(
      400,
    );
  });

  it('refuses a device id with NUL, control characters or spaces with 400 VALIDATION_FAILED', async () => {
    h = await startTestHub(kind);
    for (const deviceId of ['dev\u0000ice', 'dev\nice', 'dev ice', 'x'.repeat(101)]) {
      const res = await post(IDENTIFY_PATH, { deviceId, nonce });
      expect(res.status).toBe(400);
      expect((res.body.error as { code: string }).code).toBe('VALIDATION_FAILED');
    }
  });
});
