/**
 * Send rates shared through Redis by two hub nodes (each its own client): together they stay
 * within WhatsApp's 80 messages a second for one number, and a 130429 seen by one holds the other.
 */
import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { afterEach, describe, expect, it } from 'vitest';
import { createSendRate, WHATSAPP_MESSAGES_PER_SECOND } from './sendRate';
import type { Channel } from './store';

const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const number = () => ({ id: `wa-${randomUUID()}`, kind: 'whatsapp' }) as Channel;

describe('send rates shared by two nodes through Redis', () => {
  const clients: { quit(): Promise<unknown> }[] = [];
  const node = async () => {
    const client = createClient({ url: REDIS_URL });
    await client.connect();
    clients.push(client);
    return createSendRate({ redis: client });
  };
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.quit()));
  });

  it('lets two nodes together send no more than 80 messages a second on one number', async () => {
    const [a, b] = [await node(), await node()];
    const channel = number();
    const times: number[] = [];
    await Promise.all(
      Array.from({ length: 2 * WHATSAPP_MESSAGES_PER_SECOND }, (_, i) =>
        (i % 2 ? a : b).take(channel).then(() => times.push(Date.now())),
      ),
    );
    times.sort((x, y) => x - y);
    expect(times).toHaveLength(2 * WHATSAPP_MESSAGES_PER_SECOND);
    // The 81st message waited for the next second, whichever node sent it.
    expect(times[WHATSAPP_MESSAGES_PER_SECOND]! - times[0]!).toBeGreaterThanOrEqual(900);
  }, 20_000);

  it('holds every node off a number for the back-off of a 130429 one node received', async () => {
    const [a, b] = [await node(), await node()];
    const channel = number();
    const at = Date.now();
    await a.holdOff(channel, 2_000);
    await b.take(channel);
    expect(Date.now() - at).toBeGreaterThanOrEqual(1_900);
    const other = number();
    const free = Date.now();
    await b.take(other);
    expect(Date.now() - free).toBeLessThan(500);
  }, 20_000);
});
