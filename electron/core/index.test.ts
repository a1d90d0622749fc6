import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../backend-sync/domain/errors';
import { PROTOCOL_VERSION } from '../../backend-sync/protocol';
import { createConsoleCore, type ConsoleCore } from '.';
import { createKeyfileSecretStore } from './secrets/keyfile';
import { openConsoleDb } from './store/db';
import { setMeta } from './store/meta';
import { writeTransaction } from './store/transaction';
import { tempDir } from '../testing/temp';

describe('console core (not enrolled)', () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  async function open(dir: string): Promise<ConsoleCore> {
    const core = await createConsoleCore({
      dataDir: dir,
      secretStore: createKeyfileSecretStore(dir),
      host: 'web',
      appVersion: '1.2.3',
      suggestedHubUrl: 'http://127.0.0.1:4100',
      logger: pino({ level: 'silent' }),
    });
    cleanups.push(() => core.close());
    return core;
  }

  it('answers app, settings and enrollment calls, and refuses what needs an enrollment', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const core = await open(tmp.dir);

    expect(await core.dispatch('app.info', undefined)).toEqual({
      ok: true,
      value: { version: '1.2.3', protocolVersion: PROTOCOL_VERSION, host: 'web' },
    });
    expect(await core.dispatch('enrollment.get', {})).toEqual({
      ok: true,
      value: {
        enrolled: false,
        hubUrl: null,
        deviceId: null,
        deviceName: null,
        brandName: null,
        branchName: null,
        suggestedHubUrl: 'http://127.0.0.1:4100',
        timeZone: null,
        englishLocale: null,
        credentialsUnreadable: false,
      },
    });
    expect(await core.dispatch('sync.status', undefined)).toMatchObject({
      ok: true,
      value: { connection: 'not_enrolled', queued: 0, conflicts: 0, rejected: 0, offlineSince: null },
    });
    for (const [method, input] of [
      ['sync.now', undefined],
      ['session.signIn', { staffCode: 'A101', pin: '1101' }],
    ] as const) {
      expect(await core.dispatch(method, input)).toMatchObject({
        ok: false,
        error: { code: ErrorCode.NOT_ENROLLED },
      });
    }
    expect(await core.dispatch('session.get', undefined)).toEqual({ ok: true, value: null });
    expect(await core.dispatch('session.signIn', { staffCode: 'A101', pin: '12' })).toMatchObject({
      ok: false,
      error: { code: ErrorCode.VALIDATION_FAILED },
    });
    expect(await core.dispatch('no.such.call', {})).toMatchObject({
      ok: false,
      error: { code: ErrorCode.NOT_FOUND },
    });
  });

  it('keeps the language setting (zh-TW by default) across a restart', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const core = await open(tmp.dir);
    expect(await core.dispatch('settings.get', undefined)).toEqual({ ok: true, value: { locale: 'zh-TW' } });
    expect(await core.dispatch('settings.update', { locale: 'en' })).toEqual({
      ok: true,
      value: { locale: 'en' },
    });
    expect(await core.dispatch('settings.update', { locale: 'fr' })).toMatchObject({
      ok: false,
      error: { code: ErrorCode.VALIDATION_FAILED },
    });
    await core.close();
    cleanups.pop();
    const reopened = await open(tmp.dir);
    expect(await reopened.dispatch('settings.get', undefined)).toEqual({ ok: true, value: { locale: 'en' } });
  });

  it('still starts, and says why it cannot sync, when the sealed token cannot be opened', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const first = await open(tmp.dir);
    await first.close();
    cleanups.pop();
    // Pretend an enrollment whose token was sealed with a key this machine no longer has.
    const db = await openConsoleDb({ dataDir: tmp.dir });
    const other = tempDir();
    cleanups.push(other.remove);
    await writeTransaction(db, (trx) =>
      setMeta(trx, {
        hubUrl: 'http://127.0.0.1:9',
        deviceId: 'd1',
        brandId: 'b1',
        branchId: 'br1',
        sealedDeviceToken: createKeyfileSecretStore(other.dir).seal('token'),
      }),
    );
    await db.destroy();
    const core = await open(tmp.dir);
    expect(await core.dispatch('sync.status', undefined)).toMatchObject({
      ok: true,
      value: { connection: 'offline', lastErrorCode: 'CREDENTIALS_UNREADABLE' },
    });
  });
});
