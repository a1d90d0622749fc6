/** The demo hub's channels (backend-sync/hub/demo/channels.ts) as the emulator's configuration. */
import { DEMO_LINE_CHANNEL, DEMO_WHATSAPP_CHANNEL } from '../hub/demo/channels';
import type { EmulatorChannels } from './channels';

export const demoEmulatorChannels: EmulatorChannels = {
  line: [
    {
      channelId: DEMO_LINE_CHANNEL.channelId,
      channelSecret: DEMO_LINE_CHANNEL.channelSecret,
      channelAccessToken: DEMO_LINE_CHANNEL.accessToken,
      botUserId: DEMO_LINE_CHANNEL.destination,
      basicId: DEMO_LINE_CHANNEL.basicId,
      displayName: DEMO_LINE_CHANNEL.name,
    },
  ],
  whatsapp: [
    {
      businessAccountId: DEMO_WHATSAPP_CHANNEL.wabaId,
      phoneNumberId: DEMO_WHATSAPP_CHANNEL.phoneNumberId,
      displayPhoneNumber: DEMO_WHATSAPP_CHANNEL.displayNumber,
      appSecret: DEMO_WHATSAPP_CHANNEL.appSecret,
      accessToken: DEMO_WHATSAPP_CHANNEL.accessToken,
      verifyToken: DEMO_WHATSAPP_CHANNEL.verifyToken,
    },
  ],
};
