/**
 * Which hub the console talks to. A configured hub (env OMO_HUB_URL, or `hubUrl` in
 * <userData>/config.json) is only suggested on the enrollment screen. With none, the app starts an
 * embedded hub with demo data on loopback and enrolls to it, so `npm start` works out of the box;
 * the embedded hub sends LINE / WhatsApp messages through the channel emulator started beside it.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { startDemoEmulator, type DemoEmulator } from '../../backend-sync/emulator/embedded';
import { exampleSayCommand } from '../../backend-sync/emulator/cli';
import { createHub, type Hub } from '../../backend-sync/hub/server';
import type { EnrollmentInfo } from '../core/api/contract';
import type { ConsoleCore } from '../core';

/** The embedded demo hub, with the channel emulator it sends LINE / WhatsApp messages through. */
export type EmbeddedHub = Hub & { emulator: DemoEmulator };

const AppConfig = z.looseObject({ hubUrl: z.url({ protocol: /^https?$/ }).optional() });
const RememberedPort = z.object({ port: z.number().int().min(1).max(65535) });

export async function configuredHubUrl(userData: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  if (env.OMO_HUB_URL) return env.OMO_HUB_URL;
  const raw = await readFile(path.join(userData, 'config.json'), 'utf8').catch(() => null);
  if (raw === null) return null;
  const parsed = AppConfig.safeParse(JSON.parse(raw));
  if (!parsed.success) throw new Error(`config.json is invalid: ${z.prettifyError(parsed.error)}`);
  return parsed.data.hubUrl ?? null;
}

/**
 * The console stores the hub URL at enrollment, so the embedded hub tries the port it had last
 * time before falling back to any free one.
 */
export async function startEmbeddedHub(userData: string): Promise<EmbeddedHub> {
  const dataDir = path.join(userData, 'embedded-hub');
  const portFile = path.join(dataDir, 'port.json');
  await mkdir(dataDir, { recursive: true });
  const remembered = await readFile(portFile, 'utf8')
    .then((raw) => RememberedPort.parse(JSON.parse(raw)).port)
    .catch(() => 0);
  const emulator = await startDemoEmulator();
  // Always a SQLite file in userData, even if DATABASE_URL happens to be set on this machine.
  const options = { dataDir, demo: true, databaseUrl: null, ...emulator.hubChannelOptions };
  let hub: Hub;
  try {
    try {
      hub = await createHub({ ...options, port: remembered });
    } catch (err) {
      if (remembered === 0) throw err;
      hub = await createHub({ ...options, port: 0 });
    }
  } catch (err) {
    await emulator.close();
    throw err;
  }
  emulator.setHubUrl(hub.url);
  await writeFile(portFile, JSON.stringify({ port: hub.port }));
  console.log(`Channel emulator (LINE / WhatsApp stand-in): ${emulator.url}`);
  console.log(`  Play a customer: ${exampleSayCommand(emulator.url)}`);
  const closeHub = hub.close.bind(hub);
  return Object.assign(hub, {
    emulator,
    async close() {
      await closeHub();
      await emulator.close();
    },
  });
}

/** Enrolls with the demo's first pairing code unless the console is enrolled already. */
export async function enrollToEmbeddedHub(core: ConsoleCore, hub: EmbeddedHub): Promise<string> {
  const current = await core.dispatch('enrollment.get', undefined);
  if (!current.ok) throw new Error(`enrollment.get failed: ${current.error.code}`);
  const info = current.value as EnrollmentInfo; // validated by the dispatcher
  if (info.enrolled) {
    return info.hubUrl === hub.url ? 'already enrolled' : `enrolled to ${info.hubUrl}, not to ${hub.url}`;
  }
  const pairingCode = hub.demo?.pairingCodes[0]?.code;
  if (!pairingCode) throw new Error('the embedded hub has no demo pairing code');
  const deviceName = `Counter ${os.hostname()}`.slice(0, 100);
  const result = await core.dispatch('enrollment.enroll', { hubUrl: hub.url, pairingCode, deviceName });
  if (!result.ok) throw new Error(`enrollment failed: ${result.error.code} ${result.error.message}`);
  return 'enrolled';
}
