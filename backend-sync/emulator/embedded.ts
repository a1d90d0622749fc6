/**
 * The emulator as the demo starts it beside an embedded hub (`npm start`, `npm run start:web`):
 * demo channels, a free loopback port, and the createHub options that point the hub's channel
 * API base URLs at it. The hub's URL is set once the hub listens (webhooks go there).
 */
import { demoEmulatorChannels } from './demo';
import { createEmulator, type Emulator } from './server';

export interface DemoEmulator extends Emulator {
  /** Spread into createHub's options. */
  hubChannelOptions: { lineApiBaseUrl: string; lineDataApiBaseUrl: string; whatsappApiBaseUrl: string };
}

export async function startDemoEmulator(options: { port?: number } = {}): Promise<DemoEmulator> {
  const emulator = await createEmulator({
    channels: demoEmulatorChannels,
    port: options.port ?? 0,
    host: '127.0.0.1',
    // A status webhook the hub refuses is the hub's business (and in its logs); keep the demo quiet.
    onBackgroundError: () => {},
  });
  return Object.assign(emulator, {
    hubChannelOptions: {
      lineApiBaseUrl: emulator.url,
      lineDataApiBaseUrl: emulator.url,
      whatsappApiBaseUrl: emulator.url,
    },
  });
}
