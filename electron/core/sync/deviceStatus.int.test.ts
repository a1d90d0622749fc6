/**
 * A console reports its app version and outbox size to the hub (protocol device:status), and the
 * back office's device list shows them: real hub, real console core, real socket.io on loopback.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { testDbKinds } from '../../../backend-sync/hub/testing/databases';
import { openTestConsole, startHubHarness } from '../../testing/integration/harness';
import { waitFor } from '../../testing/temp';

describe.each(testDbKinds())('device status in the back office (%s)', (kind) => {
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  it("lists the console's app version and queued mutations once it synced", async () => {
    const h = await startHubHarness(kind);
    cleanups.push(() => h.close());
    const devices = async () => {
      const res = await fetch(`${h.url}/api/admin/brands/${h.fixture.brandId}/devices`, {
        headers: { authorization: 'Bearer test-admin-token' },
      });
      const body = (await res.json()) as {
        items: {
          id: string;
          appVersion: string | null;
          queuedMutations: number | null;
          statusAt: string | null;
        }[];
      };
      return body.items.find((d) => d.id === h.fixture.devices.a1.id)!;
    };
    expect(await devices()).toMatchObject({ appVersion: null, queuedMutations: null, statusAt: null });

    const c = await openTestConsole();
    cleanups.push(c.remove, () => c.close());
    await c.call('enrollment.enroll', {
      hubUrl: h.url,
      pairingCode: h.fixture.devices.a1.pairingCode,
      deviceName: 'Till 1',
    });
    const reported = await waitFor(
      async () => {
        const d = await devices();
        if (d.appVersion === null) throw new Error('not reported yet');
        return d;
      },
      'the device status report',
      10_000,
    );
    expect(reported).toMatchObject({ appVersion: '0.0.0-test', queuedMutations: 0 });
    expect(reported.statusAt).not.toBeNull();
  });
});
