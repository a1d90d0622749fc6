/**
 * Drains the webhook inbox in receipt order, after the webhook was answered. Kicked by every
 * webhook and once at start (so events a crash left unprocessed are done then).
 *
 * A batch of events shares one transaction (group commit); each event runs in its own savepoint,
 * and marking it processed is part of that savepoint — so an event's effects (binding, history,
 * change log, queued reply) and "processed" commit together or not at all. A failing event is
 * rolled back alone, its error kept, and tried again on later passes up to MAX_ATTEMPTS.
 *
 * Several hub nodes may drain one PostgreSQL inbox. An event is claimed by locking its row in the
 * transaction that applies it (`FOR UPDATE SKIP LOCKED`, still unprocessed): another node skips it
 * rather than waiting, and finds it processed once the lock is gone. The claim lasts exactly as long
 * as that transaction, so a node that dies mid-batch loses its connection, the transaction rolls
 * back, and its events are free for the next pass anywhere — no lease to expire, and an event's
 * effects can never commit twice. SQLite has one process, where `processed_at IS NULL` suffices.
 */
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { Clock } from '../../domain/clock';
import { getChannel, type Channel } from '../channels/store';
import type { Memo } from '../binding/service';
import { dbKind } from '../db';

export const MAX_ATTEMPTS = 5;
const BATCH = 100;

export interface InboxRecord {
  id: number;
  platform: 'line' | 'whatsapp';
  eventKey: string;
  channelId: string;
  kind: string;
  payload: unknown;
  receivedAt: string;
}

export interface ApplyResult {
  /** A replicated row changed: poke this brand's consoles after commit. */
  changedBrandId?: string | undefined;
  /** Outbound messages were queued: kick the sender after commit. */
  queued?: boolean;
}

export interface EventHandler {
  /**
   * Outside any transaction, before it, for the handler's events of a batch: slow reads such as
   * fetching LINE profiles. Best effort: what it does not return, apply gets as undefined.
   */
  prepare?(items: { record: InboxRecord; channel: Channel }[]): Promise<Map<number, unknown>>;
  apply(
    trx: Knex.Transaction,
    record: InboxRecord,
    channel: Channel,
    prepared: unknown,
    memo: Memo,
  ): Promise<ApplyResult>;
}

/** Shared by the events of one batch: reads that cannot change within it (binding settings). */
function batchMemo(): Memo {
  const values = new Map<string, Promise<unknown>>();
  return {
    get: <T>(key: string, load: () => Promise<T>) => {
      if (!values.has(key)) values.set(key, load());
      return values.get(key) as Promise<T>;
    },
  };
}

export interface InboxProcessorDeps {
  db: Knex;
  clock: Clock;
  logger: Logger;
  handlers: Record<InboxRecord['platform'], EventHandler>;
  /** After each committed batch. */
  onCommitted(result: { changedBrandIds: Set<string>; queued: boolean }): void;
}

export interface InboxProcessor {
  kick(): void;
  /** Resolves when the inbox has nothing left to do right now. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

type Row = Record<string, unknown>;

const toRecord = (row: Row): InboxRecord => ({
  id: Number(row.id),
  platform: String(row.platform) as InboxRecord['platform'],
  eventKey: String(row.event_key),
  channelId: String(row.channel_id),
  kind: String(row.kind),
  payload: JSON.parse(String(row.payload)) as unknown,
  receivedAt: String(row.received_at),
});

export function createInboxProcessor(deps: InboxProcessorDeps): InboxProcessor {
  const log = deps.logger.child({ component: 'inbox' });
  let running: Promise<void> | null = null;
  let again = false;
  let closed = false;

  const pass = async (tried: { after: number }): Promise<boolean> => {
    let query = deps
      .db('webhook_inbox')
      .whereNull('processed_at')
      .where('attempts', '<', MAX_ATTEMPTS)
      .orderBy('id')
      .limit(BATCH);
    // Within one drain each row is tried once (in id order); one that failed waits for the next.
    if (tried.after > 0) query = query.where('id', '>', tried.after);
    // Rows another node is applying right now are left to it (the lock ends with this statement).
    if (dbKind(deps.db) === 'postgres') query = query.forUpdate().skipLocked();
    const rows: Row[] = await query;
    if (rows.length === 0) return false;
    const records = rows.map(toRecord);
    tried.after = records[records.length - 1]!.id;

    const channels = new Map<string, Channel | null>();
    const prepared = new Map<number, unknown>();
    for (const record of records) {
      if (!channels.has(record.channelId))
        channels.set(record.channelId, await getChannel(deps.db, record.channelId));
    }
    for (const platform of Object.keys(deps.handlers) as InboxRecord['platform'][]) {
      const handler = deps.handlers[platform];
      const items = records.flatMap((record) => {
        const channel = channels.get(record.channelId);
        return record.platform === platform && channel ? [{ record, channel }] : [];
      });
      if (!handler.prepare || items.length === 0) continue;
      try {
        for (const [id, value] of await handler.prepare(items)) prepared.set(id, value);
      } catch (error) {
        log.warn({ err: error }, 'webhook event preparation failed'); // e.g. no profiles: go on without
      }
    }

    const committed = await commitBatch(deps, records, channels, prepared);
    for (const [id, error] of committed.failed)
      log.error({ err: error, inboxId: id }, 'webhook event failed');
    deps.onCommitted(committed);
    return true;
  };

  const drain = async () => {
    do {
      again = false;
      const tried = { after: 0 };
      while (!closed && (await pass(tried))) {
        // keep going while there is work
      }
    } while (again && !closed);
  };

  return {
    kick: () => {
      if (closed) return;
      if (running) {
        again = true;
        return;
      }
      running = drain()
        .catch((err: unknown) => log.error({ err }, 'inbox drain failed'))
        .finally(() => {
          running = null;
        });
    },
    idle: async () => {
      while (running) await running;
    },
    close: async () => {
      closed = true;
      await running;
    },
  };
}

interface BatchOutcome {
  changedBrandIds: Set<string>;
  queued: boolean;
  failed: Map<number, unknown>;
}

/**
 * Commits a batch. The fast way first: every event in one transaction, marked processed with one
 * UPDATE. Should any event fail, that transaction is rolled back and the batch is done again with a
 * savepoint per event, so the failing one is rolled back alone and the others still commit.
 */
async function commitBatch(
  deps: InboxProcessorDeps,
  records: InboxRecord[],
  channels: Map<string, Channel | null>,
  prepared: Map<number, unknown>,
): Promise<BatchOutcome> {
  const now = deps.clock.now().toISOString();
  const apply = async (trx: Knex.Transaction, record: InboxRecord, memo: Memo, out: BatchOutcome) => {
    const channel = channels.get(record.channelId);
    const result: ApplyResult = channel
      ? await deps.handlers[record.platform].apply(trx, record, channel, prepared.get(record.id), memo)
      : {};
    if (result.changedBrandId) out.changedBrandIds.add(result.changedBrandId);
    if (result.queued) out.queued = true;
  };
  const fresh = (): BatchOutcome => ({ changedBrandIds: new Set(), queued: false, failed: new Map() });
  const markProcessed = (trx: Knex.Transaction, ids: number[]) =>
    trx('webhook_inbox')
      .whereIn('id', ids)
      .update({ processed_at: now, attempts: trx.raw('attempts + 1'), error: null });
  /** The events of `ids` this transaction may apply: unprocessed, and not held by another node. */
  const claim = async (trx: Knex.Transaction, ids: number[]): Promise<Set<number>> => {
    let query = trx('webhook_inbox').whereIn('id', ids).whereNull('processed_at').select('id');
    if (dbKind(trx) === 'postgres') query = query.forUpdate().skipLocked();
    return new Set(((await query) as Row[]).map((r) => Number(r.id)));
  };

  try {
    const out = fresh();
    await deps.db.transaction(async (trx) => {
      const memo = batchMemo();
      const claimed = await claim(
        trx,
        records.map((r) => r.id),
      );
      for (const record of records) if (claimed.has(record.id)) await apply(trx, record, memo, out);
      await markProcessed(trx, [...claimed]);
    });
    return out;
  } catch {
    // one at a time, below
  }

  const out = fresh();
  await deps.db.transaction(async (trx) => {
    const memo = batchMemo();
    const claimed = await claim(
      trx,
      records.map((r) => r.id),
    );
    for (const record of records.filter((r) => claimed.has(r.id))) {
      try {
        await trx.transaction(async (sp) => {
          const partial = fresh();
          await apply(sp, record, memo, partial);
          await markProcessed(sp, [record.id]);
          for (const id of partial.changedBrandIds) out.changedBrandIds.add(id);
          out.queued ||= partial.queued;
        });
      } catch (error) {
        out.failed.set(record.id, error);
      }
    }
    for (const [id, error] of out.failed) {
      const message = String(error instanceof Error ? error.message : error).slice(0, 1000);
      await trx('webhook_inbox')
        .where({ id })
        .update({ attempts: trx.raw('attempts + 1'), error: message });
    }
  });
  return out;
}
