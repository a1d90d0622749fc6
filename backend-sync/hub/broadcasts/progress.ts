/**
 * A broadcast's sent / failed counts follow its outbound messages: when the sender settles one of
 * them (sent or failed for good), the broadcast is recounted from the messages themselves — so a
 * hub restart or a repeated call can never count one twice — and, when nothing is left queued,
 * marked done. Each recount is replicated to the associate's list and the consoles are poked.
 * Recounts of one broadcast are merged while one is running (a burst of 1,000 sends costs a few).
 */
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { Clock } from '../../domain/clock';
import { dbKind } from '../db';
import { recordBroadcast } from './rows';

type Row = Record<string, unknown>;

export interface BroadcastProgressDeps {
  db: Knex;
  clock: Clock;
  logger: Logger;
  notifyChanges(brandId: string): void;
}

export interface BroadcastProgress {
  /** An outbound message of `broadcastId` reached sent or failed. Never throws. */
  settled(broadcastId: string): void;
  /** Recounts every broadcast still sending (at start-up: messages settled before a crash). */
  recountOpen(): Promise<void>;
  idle(): Promise<void>;
}

export function createBroadcastProgress(deps: BroadcastProgressDeps): BroadcastProgress {
  const running = new Map<string, Promise<void>>();
  const again = new Set<string>();

  const recount = async (broadcastId: string): Promise<void> => {
    const changedBrand = await deps.db.transaction(async (trx) => {
      // Locked on PostgreSQL: nodes recounting one broadcast at once commit one after the other,
      // so an older count never overwrites a newer one.
      const broadcast = (await trx('broadcasts')
        .where({ id: broadcastId })
        .modify((q) => (dbKind(trx) === 'postgres' ? q.forUpdate() : q))
        .first()) as Row | undefined;
      if (!broadcast || broadcast.state === 'done') return null;
      const counts = (await trx('outbound_messages')
        .where({ broadcast_id: broadcastId })
        .groupBy('status')
        .select('status')
        .count({ n: '*' })) as { status: string; n: number | string }[];
      const count = (...statuses: string[]) =>
        counts.filter((c) => statuses.includes(c.status)).reduce((sum, c) => sum + Number(c.n), 0);
      const sent = count('sent', 'delivered', 'read');
      const failed = count('failed');
      const done = count('queued', 'sending') === 0;
      if (sent === Number(broadcast.sent) && failed === Number(broadcast.failed) && !done) return null;
      const now = deps.clock.now();
      const update = { sent, failed, state: done ? 'done' : 'sending', updated_at: now.toISOString() };
      await trx('broadcasts').where({ id: broadcastId }).update(update);
      await recordBroadcast(trx, { ...broadcast, ...update }, now);
      return String(broadcast.brand_id);
    });
    if (changedBrand) deps.notifyChanges(changedBrand);
  };

  const settled = (broadcastId: string): void => {
    if (running.has(broadcastId)) {
      again.add(broadcastId);
      return;
    }
    const task = (async () => {
      do {
        again.delete(broadcastId);
        await recount(broadcastId);
      } while (again.has(broadcastId));
    })()
      .catch((err: unknown) => deps.logger.error({ err, broadcastId }, 'broadcast recount failed'))
      .finally(() => running.delete(broadcastId));
    running.set(broadcastId, task);
  };

  return {
    settled,
    recountOpen: async () => {
      const open = (await deps.db('broadcasts').where({ state: 'sending' }).select('id')) as Row[];
      for (const row of open) settled(String(row.id));
      await Promise.allSettled([...running.values()]);
    },
    idle: async () => {
      while (running.size > 0) await Promise.allSettled([...running.values()]);
    },
  };
}
