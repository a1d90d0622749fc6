/** The update policy a till follows comes from what the hub replicated: brand rollout and window, device channel. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Change } from '../../backend-sync/protocol';
import { brand, ME, openTillFixture, type TillFixture } from '../testing/till';
import { applyChanges } from './store/mirrors';
import { writeTransaction } from './store/transaction';
import { DEFAULT_UPDATE_POLICY, readUpdatePolicy } from './updates';

let f: TillFixture;
beforeEach(async () => {
  f = await openTillFixture();
});
afterEach(() => f.close());

describe('readUpdatePolicy', () => {
  it('uses every device, 03:00-05:00 and stable until the hub says otherwise', async () => {
    expect(await readUpdatePolicy(f.db)).toEqual({ ...DEFAULT_UPDATE_POLICY, deviceId: ME.deviceId });
  });

  it("follows the brand's rollout and window and this device's channel, not another device's", async () => {
    const changes: Change[] = [
      {
        seq: 1000,
        entity: 'brand',
        op: 'upsert',
        id: ME.brandId,
        data: brand({
          timeZone: 'Asia/Hong_Kong',
          updates: { rolloutPercent: 25, window: { start: '23:00', end: '02:00' } },
        }),
      },
      {
        seq: 1001,
        entity: 'device',
        op: 'upsert',
        id: ME.deviceId,
        data: {
          id: ME.deviceId,
          brandId: ME.brandId,
          branchId: ME.branchId,
          name: '櫃台 1',
          updateChannel: 'beta',
        },
      },
      {
        seq: 1002,
        entity: 'device',
        op: 'upsert',
        id: 'device-other',
        data: {
          id: 'device-other',
          brandId: ME.brandId,
          branchId: ME.branchId,
          name: '櫃台 2',
          updateChannel: 'stable',
        },
      },
    ];
    await writeTransaction(f.db, (trx) => applyChanges(trx, changes));
    expect(await readUpdatePolicy(f.db)).toEqual({
      deviceId: ME.deviceId,
      channel: 'beta',
      rolloutPercent: 25,
      window: { start: '23:00', end: '02:00' },
      timeZone: 'Asia/Hong_Kong',
    });
  });
});
