/**
 * The demo hub `npm start` runs beside the Electron app, in its own (this script's) process: a hub
 * with demo data on loopback and the channel emulator it sends LINE / WhatsApp messages through.
 * The app is told about it with `--demo` and OMO_DEMO_HUB_URL / OMO_DEMO_PAIRING_CODE
 * (electron/main/config.ts) and enrolls to it; the app itself never contains or imports the hub.
 * The console stores the hub URL at enrollment, so the hub tries the port it had last time first.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { exampleSayCommand } from '../backend-sync/emulator/cli';
import { startDemoEmulator, type DemoEmulator } from '../backend-sync/emulator/embedded';
import { createHub, type Hub } from '../backend-sync/hub/server';

/** The demo hub, with the channel emulator it sends LINE / WhatsApp messages through. */
export type DemoHub = Hub & { emulator: DemoEmulator; pairingCode: string };

const RememberedPort = z.object({ port: z.number().int().min(1).max(65535) });

export async function startDemoHub(
  dataDir: string,
  log: (line: string) => void = console.log,
): Promise<DemoHub> {
  const portFile = path.join(dataDir, 'port.json');
  await mkdir(dataDir, { recursive: true });
  const remembered = await readFile(portFile, 'utf8')
    .then((raw) => RememberedPort.parse(JSON.parse(raw)).port)
    .catch(() => 0);
  const emulator = await startDemoEmulator();
  // Always a SQLite file in the data folder, even if DATABASE_URL happens to be set on this machine.
  const options = { dataDir, demo: true, databaseUrl: null, ...emulator.hubChannelOptions };
  let hub: Hub;
  try {
    try {
      hub = await createHub({ ...options, port: remembered });
    } catch (err) {
      if (remembered === 0 || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
      hub = await createHub({ ...options, port: 0 });
      // A console enrolled before stored the old URL: say where the hub went and how to follow it.
      console.warn(
        `\nPort ${remembered} of the demo hub is taken; it listens on ${hub.port} now.` +
          `\nA console enrolled before: Settings → Hub → change the address to ${hub.url}.`,
      );
    }
  } catch (err) {
    await emulator.close();
    throw err;
  }
  const pairingCode = hub.demo?.pairingCodes[0]?.code;
  if (!pairingCode) {
    await hub.close();
    await emulator.close();
    throw new Error('the demo hub has no demo pairing code');
  }
  emulator.setHubUrl(hub.url);
  await writeFile(portFile, JSON.stringify({ port: hub.port }));
  log(`Demo hub: ${hub.url}`);
  log(`Channel emulator (LINE / WhatsApp stand-in): ${emulator.url}`);
  log(`  Play a customer: ${exampleSayCommand(emulator.url)}`);
  const closeHub = hub.close.bind(hub);
  return Object.assign(hub, {
    emulator,
    pairingCode,
    async close() {
      await closeHub();
      await emulator.close();
    },
  });
}
