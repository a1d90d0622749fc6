/**
 * The durable webhook inbox. A webhook is answered only after its events are committed here, and
 * the UNIQUE (platform, event_key) makes a redelivered event a no-op — so an event is processed
 * once, and never lost to a crash between receipt and processing.
 *
 * Concurrent webhooks share one transaction (group commit): while one batch commits, the next
 * collects, so a burst costs one fsync per batch rather than one per request. Should that
 * transaction fail, each webhook's rows are committed again in a transaction of their own, so a
 * request the database refuses fails alone and never takes its neighbours with it (the routes
 * bound every field first, so that is a last line, not the plan).
 */
import type { Knex } from 'knex';

export interface InboxEvent {
  platform: 'line' | 'whatsapp';
  eventKey: string;
  channelId: string;
  kind: string;
  payload: unknown;
}

export interface Inbox {
  /** Resolves once the events are durable (or were already there). */
  record(events: InboxEvent[], receivedAt: Date): Promise<void>;
}

interface Pending {
  rows: Record<string, unknown>[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

export function createInbox(db: Knex): Inbox {
  let queue: Pending[] = [];
  let flushing = false;

  const insert = (all: Record<string, unknown>[]) =>
    db.transaction(async (trx) => {
      const byKey = new Map(all.map((r) => [`${r.platform}:${r.event_key}`, r]));
      const rows = [...byKey.values()];
      for (let i = 0; i < rows.length; i += 100) {
        await trx('webhook_inbox')
          .insert(rows.slice(i, i + 100))
          .onConflict(['platform', 'event_key'])
          .ignore();
      }
    });

  const flush = async () => {
    flushing = true;
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        await insert(batch.flatMap((p) => p.rows));
        for (const p of batch) p.resolve();
      } catch {
        for (const p of batch) {
          try {
            await insert(p.rows);
            p.resolve();
          } catch (error) {
            p.reject(error);
          }
        }
      }
    }
    flushing = false;
  };

  return {
    record: (events, receivedAt) => {
      if (events.length === 0) return Promise.resolve();
      // One request may carry the same event twice; the UNIQUE index would refuse the batch insert.
      const unique = new Map(events.map((e) => [`${e.platform}:${e.eventKey}`, e]));
      const rows = [...unique.values()].map((e) => ({
        platform: e.platform,
        event_key: e.eventKey,
        channel_id: e.channelId,
        kind: e.kind,
        payload: JSON.stringify(e.payload),
        received_at: receivedAt.toISOString(),
        attempts: 0,
      }));
      return new Promise<void>((resolve, reject) => {
        queue.push({ rows, resolve, reject });
        if (!flushing) {
          flushing = true;
          // Let the requests already received in this turn of the event loop join the batch.
          setImmediate(() => void flush());
        }
      });
    },
  };
}
