/**
 * `npm run emulator -- [--port 4300] [--hub http://127.0.0.1:4100]`: the channel emulator in the
 * foreground, with the demo brand's channels.
 * `npm run emulator -- say --channel line --user U1 --text "聯絡專員 S001"`: a pretend customer
 * writes, through a running emulator (--emulator, default http://127.0.0.1:4300) or, when none
 * answers, directly to the hub (--hub) with the demo secrets. Prints the hub's answer and the
 * replies the hub sent back (read from the emulator's record).
 * `npm run emulator -- sent [--channel line] [--user U1]`: what the hub sent, as JSON.
 */
import { parseArgs } from 'node:util';
import type { SayResult } from './customers';
import { demoEmulatorChannels } from './demo';
import { createEmulator } from './server';
import type { SentRecord } from './state';

export const DEFAULT_EMULATOR_PORT = 4300;
const DEFAULT_HUB = 'http://127.0.0.1:4100';

const USAGE = `Usage:
  npm run emulator -- [--port ${DEFAULT_EMULATOR_PORT}] [--hub ${DEFAULT_HUB}] [--status-delay 150] [--ignore-window]
  npm run emulator -- say --channel line|whatsapp --user <id or phone> --text "聯絡專員 S001"
                         [--name <display name>] [--event message|follow|unfollow] [--redeliver]
                         [--emulator http://127.0.0.1:${DEFAULT_EMULATOR_PORT}] [--hub ${DEFAULT_HUB}] [--wait 3000]
  npm run emulator -- sent [--channel line|whatsapp] [--user <id>] [--emulator …]`;

export function exampleSayCommand(emulatorUrl: string, staffCode = 'S001'): string {
  const port = new URL(emulatorUrl).port;
  const via = port === String(DEFAULT_EMULATOR_PORT) ? '' : ` --emulator ${emulatorUrl}`;
  return `npm run emulator -- say --channel line --user U1 --name 陳小姐 --text "聯絡專員 ${staffCode}"${via}`;
}

async function serve(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string', default: String(DEFAULT_EMULATOR_PORT) },
      host: { type: 'string', default: '127.0.0.1' },
      hub: { type: 'string', default: DEFAULT_HUB },
      'status-delay': { type: 'string', default: '150' },
      'ignore-window': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) return console.log(USAGE);
  const emulator = await createEmulator({
    channels: demoEmulatorChannels,
    hubUrl: values.hub,
    port: Number(values.port),
    host: values.host,
    statusDelayMs: Number(values['status-delay']),
    enforceWhatsAppWindow: !values['ignore-window'],
    onBackgroundError: (err) => console.error('status webhook failed:', (err as Error).message),
  });
  console.log(`Channel emulator on ${emulator.url} (webhooks go to ${values.hub})`);
  console.log(`  LINE API base URL:      ${emulator.url}`);
  console.log(`  WhatsApp API base URL:  ${emulator.url}`);
  for (const c of emulator.channels.line) console.log(`  LINE channel ${c.channelId} ${c.basicId}`);
  for (const c of emulator.channels.whatsapp)
    console.log(`  WhatsApp number +${c.displayPhoneNumber} (${c.phoneNumberId})`);
  console.log(`  Sent messages:          ${emulator.url}/emulator/sent`);
  console.log(`\nPlay a customer:\n  ${exampleSayCommand(emulator.url)}\n\nPress Ctrl-C to stop.`);
  const stop = () => void emulator.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

async function readSent(
  emulatorUrl: string,
  query: Record<string, string>,
): Promise<{ items: SentRecord[]; lastSeq: number }> {
  const response = await fetch(`${emulatorUrl}/emulator/sent?${new URLSearchParams(query).toString()}`, {
    signal: AbortSignal.timeout(3_000),
  });
  if (!response.ok) throw new Error(`GET /emulator/sent answered ${response.status}`);
  return (await response.json()) as { items: SentRecord[]; lastSeq: number };
}

function describeSent(record: SentRecord): string {
  const texts = record.messages.map((m) => {
    const msg = m as { type?: string; text?: string | { body?: string }; altText?: string };
    if (typeof msg.text === 'string') return msg.text;
    if (msg.text && typeof msg.text === 'object') return msg.text.body ?? '';
    return `[${msg.type ?? 'message'}${msg.altText ? `: ${msg.altText}` : ''}]`;
  });
  return `${record.channel} ${record.api} → ${record.to.join(', ')}: ${texts.join(' | ')}`;
}

async function say(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      channel: { type: 'string', default: 'line' },
      user: { type: 'string' },
      text: { type: 'string' },
      name: { type: 'string' },
      event: { type: 'string', default: 'message' },
      redeliver: { type: 'boolean', default: false },
      emulator: { type: 'string', default: `http://127.0.0.1:${DEFAULT_EMULATOR_PORT}` },
      hub: { type: 'string', default: DEFAULT_HUB },
      wait: { type: 'string', default: '3000' },
    },
    strict: true,
  });
  if (!values.user) throw new Error(`--user is required\n${USAGE}`);
  const request = {
    channel: values.channel,
    user: values.user,
    event: values.event,
    redeliver: values.redeliver,
    ...(values.text !== undefined ? { text: values.text } : {}),
    ...(values.name !== undefined ? { displayName: values.name } : {}),
  };
  const running = await readSent(values.emulator, {}).catch(() => null);
  if (!running) {
    // No emulator: post straight to the hub with the demo secrets. The hub's replies then go to
    // whatever its channel base URLs say, so they cannot be shown here.
    console.log(
      `No emulator at ${values.emulator}; posting directly to ${values.hub} with the demo secrets.`,
    );
    const local = await createEmulator({ channels: demoEmulatorChannels, hubUrl: values.hub, port: 0 });
    try {
      printSaid(await local.say(request as never));
    } catch (err) {
      throw new Error(`Could not post to the hub at ${values.hub}: ${(err as Error).message}`, {
        cause: err,
      });
    } finally {
      await local.close();
    }
    return;
  }
  const response = await fetch(`${values.emulator}/emulator/say`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  const body = (await response.json()) as SayResult & { error?: { message: string } };
  if (!response.ok) throw new Error(`The emulator refused: ${body.error?.message ?? response.status}`);
  printSaid(body);

  const user = values.channel === 'whatsapp' ? values.user.replace(/^\+/, '') : values.user;
  const deadline = Date.now() + Number(values.wait);
  let since = running.lastSeq;
  let shown = 0;
  while (Date.now() < deadline) {
    const { items } = await readSent(values.emulator, { to: user, since: String(since) });
    for (const item of items) {
      console.log(`Hub sent: ${describeSent(item)}`);
      since = item.seq;
      shown += 1;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  if (shown === 0) console.log(`The hub sent nothing to ${user} within ${values.wait} ms.`);
}

function printSaid(result: SayResult): void {
  console.log(`Posted ${result.channel} webhook (${result.eventId}) to ${result.hub.url}`);
  console.log(
    `Hub answered ${result.hub.status}${result.hub.body ? `: ${result.hub.body.slice(0, 300)}` : ''}`,
  );
}

async function sent(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      channel: { type: 'string' },
      user: { type: 'string' },
      emulator: { type: 'string', default: `http://127.0.0.1:${DEFAULT_EMULATOR_PORT}` },
    },
    strict: true,
  });
  const query: Record<string, string> = {};
  if (values.channel) query.channel = values.channel;
  if (values.user) query.to = values.user;
  console.log(JSON.stringify((await readSent(values.emulator, query)).items, null, 2));
}

export async function runEmulatorCli(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === 'say') return say(rest);
  if (command === 'sent') return sent(rest);
  if (command === 'help') return console.log(USAGE);
  return serve(argv);
}
