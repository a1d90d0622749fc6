/**
 * The demo brand's LINE and WhatsApp channels. These are NOT real credentials: they only mean
 * something to the channel emulator (`npm run emulator`), which signs its webhooks with the same
 * secrets and accepts the same access tokens. The emulator imports these constants, so the demo
 * hub and the emulator agree without configuration.
 */

export const DEMO_LINE_CHANNEL = {
  /** LINE "Channel ID" (numeric string). */
  channelId: '2000000001',
  /** The bot's user id: what LINE puts in a webhook's `destination`. */
  destination: 'U0d3m0b0t00000000000000000000001',
  /** 32 hex characters, like LINE's; signs X-Line-Signature. */
  channelSecret: 'd3m0c0ffee0123456789abcdef012345',
  /** Long-lived channel access token (Bearer). */
  accessToken: 'demo-line-access-token',
  /** The official account's basic id, used in https://line.me/R/oaMessage/{basicId}/?{message}. */
  basicId: '@omo-demo',
  name: 'OMO 示範 LINE 官方帳號',
} as const;

export const DEMO_WHATSAPP_CHANNEL = {
  /** Cloud API phone number id: what webhooks carry in `metadata.phone_number_id`. */
  phoneNumberId: '100000000000001',
  /** The business number, digits only as wa.me wants them (https://wa.me/{number}?text=…). */
  displayNumber: '85230001234',
  /** The Meta app secret; signs X-Hub-Signature-256. */
  appSecret: 'demo-whatsapp-app-secret',
  /** What the webhook GET handshake must present as hub.verify_token. */
  verifyToken: 'demo-whatsapp-verify-token',
  /** System-user access token (Bearer). */
  accessToken: 'demo-whatsapp-access-token',
  /** WhatsApp Business Account id (webhook `entry[].id`). */
  wabaId: '200000000000001',
  name: 'OMO 示範 WhatsApp',
  /** Approved templates a broadcast may use (the emulator accepts any template name). */
  templates: [
    { name: 'spring_sale', language: 'zh_HK', preview: '【OMO 示範品牌】春季新品到店，憑此訊息享 9 折。' },
    {
      name: 'store_event',
      language: 'en',
      preview: 'OMO Demo: members night this Friday, 7 pm. Reply to book.',
    },
  ],
} as const;

/** Binding settings of the demo brand (the product defaults, spelled out). */
export const DEMO_BINDING_SETTINGS = {
  mode: 'fixed' as const,
  prefix: '聯絡專員',
  suffix: '',
  successMessage: '您好！我是{分店名稱}的{店員姓名}，很高興為您服務。',
  repeatMessage: '您已綁定{分店名稱}的{店員姓名}，如需更換專員請洽門市。',
  defaultReply: '抱歉，找不到這位專員，請確認 QR Code 是否正確。',
  /** Branch code → success message override. */
  branchSuccessMessages: { TXG: '歡迎光臨台中公益店！我是{店員姓名}，有任何問題都可以問我。' },
};
