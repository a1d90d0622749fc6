/**
 * Test support: a hub over a private test database whose LINE and WhatsApp channels are the
 * channel emulator's (backend-sync/emulator), both on loopback and sharing one manual clock, so a
 * test can let a reply token expire or a status wait run out by moving the clock.
 */
import { manualClock } from '../../domain/clock';
import { createEmulator, type Emulator } from '../../emulator/server';
import { testChannels } from '../../emulator/testing';
import { BindingSettingsInput, saveBindingSettings } from '../binding/settings';
import { createHub, type Hub } from '../server';
import { openTestDb, type TestDb } from './databases';
import { FIXTURE_TIME, seedFixture, type Fixture } from './fixtures';
import { TEST_SETTINGS } from '../webhooks/testing';

export const EMU_LINE = testChannels.line[0]!;
export const EMU_WA = testChannels.whatsapp[0]!;

export interface EmulatorHub {
  t: TestDb;
  hub: Hub;
  emulator: Emulator;
  fixture: Fixture;
  clock: ReturnType<typeof manualClock>;
  /** Starts the hub again on the same database (after close or a simulated crash). */
  restart(): Promise<Hub>;
  close(): Promise<void>;
}

export async function insertEmulatorChannels(t: TestDb, brandId: string, at: string): Promise<void> {
  await t.db('channels').insert([
    {
      id: 'channel-line',
      brand_id: brandId,
      kind: 'line',
      name: 'Emulator LINE',
      line_channel_id: EMU_LINE.channelId,
      line_destination: EMU_LINE.botUserId,
      line_channel_secret: EMU_LINE.channelSecret,
      line_access_token: EMU_LINE.channelAccessToken,
      line_basic_id: EMU_LINE.basicId,
      created_at: at,
      updated_at: at,
    },
    {
      id: 'channel-wa',
      brand_id: brandId,
      kind: 'whatsapp',
      name: 'Emulator WhatsApp',
      wa_phone_number_id: EMU_WA.phoneNumberId,
      wa_display_number: EMU_WA.displayPhoneNumber,
      wa_app_secret: EMU_WA.appSecret,
      wa_verify_token: EMU_WA.verifyToken,
      wa_access_token: EMU_WA.accessToken,
      created_at: at,
      updated_at: at,
    },
  ]);
}

export async function startEmulatorHub(
  kind: TestDb['kind'],
  options: { whatsappStatusWaitMs?: number; statusDelayMs?: number; retryBaseDelayMs?: number } = {},
): Promise<EmulatorHub> {
  const t = await openTestDb(kind);
  const clock = manualClock(FIXTURE_TIME);
  const fixture = await seedFixture(t.db, clock);
  await insertEmulatorChannels(t, fixture.brandId, clock.now().toISOString());
  await t.db.transaction((trx) =>
    saveBindingSettings(
      trx,
      fixture.brandId,
      BindingSettingsInput.parse(TEST_SETTINGS),
      clock.now().toISOString(),
    ),
  );
  const emulator = await createEmulator({
    channels: testChannels,
    clock,
    statusDelayMs: options.statusDelayMs ?? 5,
    enforceWhatsAppWindow: false,
  });
  const start = async () => {
    const hub = await createHub({
      port: 0,
      dataDir: t.options.dataDir,
      databaseUrl: t.options.databaseUrl ?? null,
      ...(t.options.searchPath ? { searchPath: t.options.searchPath } : {}),
      clock,
      logLevel: process.env.HUB_TEST_LOG_LEVEL ?? 'silent',
      adminToken: 'test-admin-token',
      lineApiBaseUrl: emulator.url,
      whatsappApiBaseUrl: emulator.url,
      ...(options.whatsappStatusWaitMs ? { whatsappStatusWaitMs: options.whatsappStatusWaitMs } : {}),
      outboundRetry: {
        random: () => 0.5,
        ...(options.retryBaseDelayMs ? { baseDelayMs: options.retryBaseDelayMs } : {}),
        // A back-off wait moves the shared clock instead of waiting.
        sleep: async (ms) => clock.advance(ms),
      },
    });
    emulator.setHubUrl(hub.url);
    return hub;
  };
  const h: EmulatorHub = {
    t,
    hub: await start(),
    emulator,
    fixture,
    clock,
    restart: async () => {
      h.hub = await start();
      return h.hub;
    },
    close: async () => {
      await h.hub.close();
      await emulator.close();
      await t.close();
    },
  };
  return h;
}
