/**
 * The till through the whole console core: calls go through dispatch (inputs and outputs checked
 * against the ConsoleApi contract), HID POS scans arrive as `till.scanned` events, scanner
 * settings persist and restart the reader, and a missing node-hid breaks nothing else.
 */
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../../backend-sync/domain/clock';
import { AppError } from '../../../backend-sync/domain/errors';
import { hashSecret } from '../../../backend-sync/domain/secrets';
import type { Change } from '../../../backend-sync/protocol';
import type {
  ConsoleEventName,
  ConsoleInput,
  ConsoleMethod,
  ConsoleOutput,
  TillVerdict,
} from '../consoleApi/contract';
import { createConsoleCore, type ConsoleCoreOptions } from '../index';
import { fakeUsb } from '../../testing/fakeUsb';
import { createKeyfileSecretStore } from '../secrets/keyfile';
import { openConsoleDb } from '../store/db';
import { tempDir, waitFor } from '../../testing/temp';
import { seedTill, standardChanges, STAFF, T0 } from '../../testing/till';

describe('till through the console core', () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  async function openCore(extra: Partial<ConsoleCoreOptions> = {}) {
    const tmp = tempDir('omo-till-core-');
    cleanups.push(tmp.remove);
    const db = await openConsoleDb({ dataDir: tmp.dir });
    const cashier: Change = {
      seq: 99,
      entity: 'staff',
      op: 'upsert',
      id: STAFF.associate.id,
      data: { ...STAFF.associate, pinHash: hashSecret('1234') },
    };
    await seedTill(db, [...standardChanges(), cashier]);
    await db.destroy();
    const core = await createConsoleCore({
      dataDir: tmp.dir,
      secretStore: createKeyfileSecretStore(tmp.dir),
      host: 'web',
      appVersion: '0.0.0-test',
      logger: pino({ level: 'silent' }),
      clock: manualClock(T0),
      ...extra,
    });
    cleanups.push(() => core.close());
    const events: { name: ConsoleEventName; payload: unknown }[] = [];
    core.onEvent((name, payload) => events.push({ name, payload }));
    const call = async <M extends ConsoleMethod>(
      method: M,
      input?: ConsoleInput<M>,
    ): Promise<ConsoleOutput<M>> => {
      const result = await core.dispatch(method, input);
      if (!result.ok) throw new AppError(result.error.code, result.error.message, result.error.details);
      return result.value as ConsoleOutput<M>;
    };
    return { core, call, events };
  }

  it('scans, redeems and lists through the contract, and counts open conflicts in the sync status', async () => {
    const { call, events } = await openCore({ hidBackend: fakeUsb().backend });
    expect((await call('till.scan', { input: 'FX0001\n', origin: 'manual' })).verdict).toBe('valid');
    await expect(call('till.redeem', { claimId: 'cl-fixed', scannedCode: 'FX0001' })).rejects.toMatchObject({
      code: 'NOT_SIGNED_IN',
    });
    await call('session.signIn', { staffCode: 's01', pin: '1234' });
    const view = await call('till.redeem', { claimId: 'cl-fixed', scannedCode: 'FX0001' });
    expect(view).toMatchObject({ syncState: 'queued', staffName: '王小明' });
    expect(await call('till.history', { scope: 'device' })).toMatchObject({
      total: 1,
      items: [{ id: view.id }],
    });
    expect(
      (await call('till.exportCsv', { scope: 'branch' })).csv.split('\r\n').filter(Boolean),
    ).toHaveLength(2);
    expect(await call('attention.list')).toEqual([]);
    // Both wait to sync, but only the redemption is what the offline banner counts.
    expect(await call('sync.status')).toMatchObject({ queued: 2, queuedRedemptions: 1, conflicts: 0 });
    await waitFor(() => events.some((e) => e.name === 'till.redemptionsChanged'), 'till.redemptionsChanged');
    await expect(
      call('attention.resolve', { redemptionId: view.id, decision: 'void' }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('keeps scanner settings, reads the chosen HID POS scanner and sends its scans as till.scanned', async () => {
    const usb = fakeUsb();
    const { call, events } = await openCore({ hidBackend: usb.backend });
    expect(await call('scanner.settings')).toEqual({
      wedge: { minLength: 4, maxAverageGapMs: 30, holdTimeoutMs: 50, suffixKeys: ['Enter', 'Tab'] },
      hidDevicePath: null,
      sounds: true,
    });
    expect(await call('scanner.state')).toMatchObject({ state: 'disabled' });
    expect(await call('scanner.devices')).toEqual([
      { path: '/dev/hidraw3', product: 'Xenon 1900', vendorId: 0x0c2e, productId: 0x0b61 },
    ]);

    const saved = await call('scanner.updateSettings', { hidDevicePath: usb.scanner.path, sounds: false });
    expect(saved).toMatchObject({ hidDevicePath: '/dev/hidraw3', sounds: false, wedge: { minLength: 4 } });
    await waitFor(usb.isOpen, 'the scanner to be opened');
    await waitFor(async () => (await call('scanner.state')).state === 'connected', 'state connected');
    expect(
      events.some(
        (e) => e.name === 'scanner.state' && (e.payload as { state: string }).state === 'connected',
      ),
    ).toBe(true);

    usb.send('RD0001');
    const scanned = await waitFor(
      () => events.find((e) => e.name === 'till.scanned')?.payload as TillVerdict | undefined,
      'till.scanned',
    );
    expect(scanned).toMatchObject({ origin: 'hid', input: 'RD0001', verdict: 'already_redeemed' });

    expect(
      await call('scanner.updateSettings', {
        wedge: { minLength: 6, maxAverageGapMs: 20, holdTimeoutMs: 40, suffixKeys: ['Enter'] },
      }),
    ).toMatchObject({ hidDevicePath: '/dev/hidraw3', wedge: { minLength: 6 } });
    await call('scanner.updateSettings', { hidDevicePath: null });
    await waitFor(() => !usb.isOpen(), 'the scanner to be closed');
    expect(await call('scanner.state')).toMatchObject({ state: 'disabled' });
  });

  it('shows a missing node-hid as a scanner error and keeps the till working', async () => {
    const { call } = await openCore({
      hidBackend: () => Promise.reject(new Error('node-hid: no native build')),
    });
    expect(await call('scanner.devices')).toEqual([]);
    await call('scanner.updateSettings', { hidDevicePath: '/dev/hidraw3' });
    expect(await call('scanner.state')).toEqual({
      state: 'error',
      devicePath: '/dev/hidraw3',
      product: null,
      message: 'node-hid: no native build',
    });
    expect((await call('till.scan', { input: 'FX0001', origin: 'wedge' })).verdict).toBe('valid');
  });
});
