/**
 * Test support for the channel webhooks: a hub (real HTTP on port 0) over a private test database
 * with the fixture brand, one LINE and one WhatsApp channel and binding settings, its outbound
 * calls going to a fake platform; plus builders of signed payloads in the platforms' real shapes.
 */
import { randomUUID } from 'node:crypto';
import { manualClock } from '../../domain/clock';
import {
  type BindingSettingsInput,
  BindingSettingsInput as Schema,
  saveBindingSettings,
} from '../binding/settings';
import { createHub, type Hub } from '../server';
import { openTestDb, type TestDb } from '../testing/databases';
import { FIXTURE_TIME, seedFixture, type Fixture } from '../testing/fixtures';
import { startFakePlatform, type FakePlatform } from './fakePlatform';
import { lineSignature, whatsappSignature } from './signature';

export const TEST_LINE = {
  id: 'channel-line',
  destination: 'U1234567890abcdef1234567890abcdef',
  channelSecret: '0123456789abcdef0123456789abcdef',
  accessToken: 'line-token',
  basicId: '@fixture',
};
export const TEST_WA = {
  id: 'channel-wa',
  phoneNumberId: '106540352242922',
  displayNumber: '85230001234',
  appSecret: 'wa-app-secret',
  verifyToken: 'wa-verify-token',
  accessToken: 'wa-token',
};

export const TEST_SETTINGS: BindingSettingsInput = {
  mode: 'fixed',
  prefix: '聯絡專員',
  suffix: '',
  successMessage: { kind: 'text', text: '我是{分店名稱}的{店員姓名}' },
  repeatMessage: { kind: 'text', text: '您已綁定{店員姓名}' },
  defaultReply: { kind: 'text', text: '找不到這位專員' },
  branchSuccessMessages: [],
};

export interface ChannelHub {
  t: TestDb;
  hub: Hub;
  fixture: Fixture;
  platform: FakePlatform;
  clock: ReturnType<typeof manualClock>;
  /** Back-off waits the sender asked for (none really happen). */
  sleeps: number[];
  setSettings(patch: Partial<BindingSettingsInput>): Promise<void>;
  close(): Promise<void>;
}

export async function startChannelHub(
  kind: TestDb['kind'],
  options: {
    webhookBodyLimit?: number;
    profiles?: Record<string, { displayName: string; pictureUrl?: string }>;
  } = {},
): Promise<ChannelHub> {
  const t = await openTestDb(kind);
  const clock = manualClock(FIXTURE_TIME);
  const fixture = await seedFixture(t.db, clock);
  const at = clock.now().toISOString();
  await t.db('channels').insert([
    {
      id: TEST_LINE.id,
      brand_id: fixture.brandId,
      kind: 'line',
      name: 'Fixture LINE',
      line_channel_id: '1650000000',
      line_destination: TEST_LINE.destination,
      line_channel_secret: TEST_LINE.channelSecret,
      line_access_token: TEST_LINE.accessToken,
      line_basic_id: TEST_LINE.basicId,
      created_at: at,
      updated_at: at,
    },
    {
      id: TEST_WA.id,
      brand_id: fixture.brandId,
      kind: 'whatsapp',
      name: 'Fixture WhatsApp',
      wa_phone_number_id: TEST_WA.phoneNumberId,
      wa_display_number: TEST_WA.displayNumber,
      wa_app_secret: TEST_WA.appSecret,
      wa_verify_token: TEST_WA.verifyToken,
      wa_access_token: TEST_WA.accessToken,
      created_at: at,
      updated_at: at,
    },
  ]);
  const setSettings = async (patch: Partial<BindingSettingsInput>) => {
    const data = Schema.parse({ ...TEST_SETTINGS, ...patch });
    await t.db.transaction((trx) =>
      saveBindingSettings(trx, fixture.brandId, data, clock.now().toISOString()),
    );
  };
  await setSettings({});
  const platform = await startFakePlatform(options.profiles);
  const sleeps: number[] = [];
  const hub = await createHub({
    port: 0,
    dataDir: t.options.dataDir,
    databaseUrl: t.options.databaseUrl ?? null,
    ...(t.options.searchPath ? { searchPath: t.options.searchPath } : {}),
    clock,
    logLevel: process.env.HUB_TEST_LOG_LEVEL ?? 'silent',
    adminToken: 'test-admin-token',
    lineApiBaseUrl: platform.url,
    whatsappApiBaseUrl: platform.url,
    ...(options.webhookBodyLimit ? { webhookBodyLimit: options.webhookBodyLimit } : {}),
    outboundRetry: {
      random: () => 0.5,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    },
  });
  return {
    t,
    hub,
    fixture,
    platform,
    clock,
    sleeps,
    setSettings,
    close: async () => {
      await hub.close();
      await platform.close();
      await t.close();
    },
  };
}

// ----------------------------------------------------------------------------------------------
// LINE

export interface LineTextOptions {
  userId: string;
  text: string;
  webhookEventId?: string;
  replyToken?: string;
  isRedelivery?: boolean;
  timestamp?: number;
}

export function lineTextEvent(o: LineTextOptions) {
  return {
    type: 'message',
    message: { type: 'text', id: String(Date.now()), quoteToken: 'qt', text: o.text },
    webhookEventId: o.webhookEventId ?? `01H${randomUUID().replace(/-/g, '').slice(0, 23).toUpperCase()}`,
    deliveryContext: { isRedelivery: o.isRedelivery ?? false },
    timestamp: o.timestamp ?? Date.parse(FIXTURE_TIME),
    source: { type: 'user', userId: o.userId },
    replyToken: o.replyToken ?? randomUUID().replace(/-/g, ''),
    mode: 'active',
  };
}

export function lineFollowEvent(userId: string, type: 'follow' | 'unfollow' = 'follow') {
  return {
    type,
    webhookEventId: `01H${randomUUID().replace(/-/g, '').slice(0, 23).toUpperCase()}`,
    deliveryContext: { isRedelivery: false },
    timestamp: Date.parse(FIXTURE_TIME),
    source: { type: 'user', userId },
    mode: 'active',
    ...(type === 'follow'
      ? { replyToken: randomUUID().replace(/-/g, ''), follow: { isUnblocked: false } }
      : {}),
  };
}

export const lineBody = (events: unknown[], destination = TEST_LINE.destination): string =>
  JSON.stringify({ destination, events });

export async function postLine(
  hub: Hub,
  body: string,
  signature: string | null = lineSignature(body, TEST_LINE.channelSecret),
): Promise<Response> {
  return fetch(`${hub.url}/webhooks/line`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json; charset=utf-8',
      ...(signature === null ? {} : { 'x-line-signature': signature }),
    },
    body,
  });
}

// ----------------------------------------------------------------------------------------------
// WhatsApp

export function waTextBody(o: {
  waId: string;
  name?: string;
  text: string;
  messageId?: string;
  timestamp?: number;
}) {
  const ts = String(Math.floor((o.timestamp ?? Date.parse(FIXTURE_TIME)) / 1000));
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            value: {
              messaging_product: 'whatsapp',
              metadata: {
                display_phone_number: TEST_WA.displayNumber,
                phone_number_id: TEST_WA.phoneNumberId,
              },
              contacts: [{ profile: { name: o.name ?? 'WA Customer' }, wa_id: o.waId }],
              messages: [
                {
                  from: o.waId,
                  id: o.messageId ?? `wamid.${randomUUID().replace(/-/g, '')}`,
                  timestamp: ts,
                  text: { body: o.text },
                  type: 'text',
                },
              ],
            },
            field: 'messages',
          },
        ],
      },
    ],
  });
}

export function waStatusBody(o: { messageId: string; waId: string; status: string; timestamp?: number }) {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            value: {
              messaging_product: 'whatsapp',
              metadata: {
                display_phone_number: TEST_WA.displayNumber,
                phone_number_id: TEST_WA.phoneNumberId,
              },
              statuses: [
                {
                  id: o.messageId,
                  status: o.status,
                  timestamp: String(Math.floor((o.timestamp ?? Date.parse(FIXTURE_TIME)) / 1000)),
                  recipient_id: o.waId,
                  conversation: { id: 'c1', origin: { type: 'service' } },
                  pricing: { billable: true, pricing_model: 'CBP', category: 'service' },
                },
              ],
            },
            field: 'messages',
          },
        ],
      },
    ],
  });
}

export async function postWhatsapp(
  hub: Hub,
  body: string,
  signature: string | null = whatsappSignature(body, TEST_WA.appSecret),
): Promise<Response> {
  return fetch(`${hub.url}/webhooks/whatsapp`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(signature === null ? {} : { 'x-hub-signature-256': signature }),
    },
    body,
  });
}
