import { afterEach, describe, expect, it } from 'vitest';
import { enrollDevice } from './enroll';
import { openTestDb, testDbKinds, type TestDb } from '../testing/databases';
import { normalizePairingCode } from '../readableCodes';
import { createDevice, listDevices } from './devices';
import { brandWithBranches, countRows, rejectsWith, testDeps } from '../services/testing';

describe('pairing codes', () => {
  it('are typed with or without the hyphen, in any case', () => {
    for (const typed of ['abcd-efgh', 'ABCDEFGH', ' abcd efgh ', 'ABCD–EFGH']) {
      expect(normalizePairingCode(typed.trim())).toBe('ABCD-EFGH');
    }
  });
});

describe.each(testDbKinds())('devices on %s', (kind) => {
  let t: TestDb | undefined;
  afterEach(async () => t?.close());

  it('creates a device with a one-time code and lists its state, never a token', async () => {
    t = await openTestDb(kind);
    const deps = testDeps();
    const { brand, tpe } = await brandWithBranches(t.db, deps);
    const device = await createDevice(t.db, deps, brand.id, { branchId: tpe.id, name: '收銀機 1' });
    expect(device.pairingCode).toMatch(/^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
    expect(device.state).toBe('unused');
    expect(device.pairingExpiresAt).toBe('2026-03-08T02:00:00.000Z');

    const second = await createDevice(t.db, deps, brand.id, {
      branchId: tpe.id,
      name: '收銀機 2',
      pairingValidDays: 1,
    });
    // The enroll route upper-cases what was typed; the stored form carries the hyphen.
    await enrollDevice(t.db, deps.clock, {
      pairingCode: device.pairingCode,
      deviceName: 'till',
      protocolVersion: 1,
    });
    deps.clock.advance(2 * 86_400_000);
    const listed = await listDevices(t.db, deps, brand.id);
    // An enrolled device is known by the name typed at enrollment (issue #16 point 3).
    expect(listed.map((d) => [d.name, d.state])).toEqual([
      ['till', 'enrolled'],
      ['收銀機 2', 'expired'],
    ]);
    expect(JSON.stringify(listed)).not.toMatch(/token|pairingCode/i);
    expect(listed[1]!.id).toBe(second.id);
  });

  it('refuses an unknown branch or a bad name and writes nothing', async () => {
    t = await openTestDb(kind);
    const deps = testDeps();
    const { brand, tpe } = await brandWithBranches(t.db, deps);
    const before = await countRows(t.db);
    await rejectsWith(createDevice(t.db, deps, brand.id, { branchId: 'nope', name: 'x' }), 'NOT_FOUND');
    await rejectsWith(
      createDevice(t.db, deps, brand.id, { branchId: tpe.id, name: '' }),
      'VALIDATION_FAILED',
    );
    await rejectsWith(
      createDevice(t.db, deps, brand.id, { branchId: tpe.id, name: 'x', pairingValidDays: 0 }),
      'VALIDATION_FAILED',
    );
    expect(await countRows(t.db)).toEqual(before);
  });
});
