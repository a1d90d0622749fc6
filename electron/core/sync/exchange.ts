// streams: done
/**
 * The two halves of a sync round, independent of the socket: `pullAll` fetches pages until the
 * hub has nothing more and stores each page with its cursor in one transaction; `pushAll` sends
 * the queued outbox in order, in batches, and records each batch's answers in one transaction.
 * `request` is "emit with acknowledgement" (it throws on a timeout or an error ack).
 */
import type { Knex } from 'knex';
import type { Clock } from '../../../backend-sync/domain/clock';
import { PullResponse, PushResponse, SyncEvent, type PullStream } from '../../../backend-sync/protocol';
import { AppError } from '../../../backend-sync/domain/errors';
import { markAnswers, readQueued } from '../outbox';
import { applyChange } from '../store/mirrors';
import { getMeta, setMeta } from '../store/meta';
import { writeTransaction } from '../store/transaction';
import type { Faults, SyncHooks } from './hooks';

export type Request = (event: string, payload: unknown) => Promise<unknown>;

export const PULL_PAGE_SIZE = 1000;
export const PUSH_BATCH_SIZE = 200;

export const SYNC_RESPONSE_INVALID = 'SYNC_RESPONSE_INVALID';

export interface ExchangeDeps {
  db: Knex;
  clock: Clock;
  request: Request;
  hooks?: SyncHooks;
  faults?: Faults;
}

export interface PullProgress {
  /** Changes stored in this pull so far, and the hub's count of those still to come. */
  received: number;
  remaining: number;
}

/**
 * Pulls one stream until the hub has nothing more. The device stream's cursor is meta.cursor
 * (and its first catch-up sets firstSyncDone); a list stream's is in `stream_cursors`.
 */
export async function pullAll(
  deps: ExchangeDeps,
  options: {
    stream?: PullStream;
    pageSize?: number;
    onPage?: (progress: PullProgress) => Promise<void> | void;
  } = {},
): Promise<{ received: number }> {
  const stream = options.stream ?? 'device';
  let cursor = await readCursor(deps.db, stream);
  let received = 0;
  for (;;) {
    const raw = await deps.request(SyncEvent.pull, {
      stream,
      cursor,
      limit: options.pageSize ?? PULL_PAGE_SIZE,
    });
    const parsed = PullResponse.safeParse(raw);
    if (!parsed.success) {
      throw new AppError(
        SYNC_RESPONSE_INVALID,
        'The hub sent a pull page that does not match the protocol.',
        {
          issues: parsed.error.issues
            .slice(0, 5)
            .map((i) => ({ path: i.path.join('.'), message: i.message })),
        },
      );
    }
    const page = parsed.data;
    deps.faults?.('sync:before-pull-apply');
    const now = deps.clock.now().toISOString();
    // The page and its cursor are stored together: a crash between the two can neither skip
    // changes (cursor ahead of rows) nor leave a cursor behind rows that are already applied.
    await writeTransaction(deps.db, async (trx) => {
      for (const change of page.changes) await applyChange(trx, change, stream);
      await deps.hooks?.pageApplied?.(trx, page.changes);
      if (stream === 'device') {
        await setMeta(trx, {
          cursor: String(page.cursor),
          lastSyncAt: now,
          ...(page.hasMore ? {} : { firstSyncDone: '1' }),
        });
      } else {
        await trx('stream_cursors').insert({ stream, cursor: page.cursor }).onConflict('stream').merge();
        await setMeta(trx, { lastSyncAt: now });
      }
    });
    deps.hooks?.committed?.();
    deps.faults?.('sync:after-pull-apply');
    received += page.changes.length;
    cursor = page.cursor;
    await options.onPage?.({ received, remaining: page.remaining });
    // A page that made no progress but claims more would loop forever; stop and try again later.
    if (!page.hasMore || page.changes.length === 0) return { received };
  }
}

async function readCursor(db: Knex, stream: PullStream): Promise<number> {
  if (stream === 'device') return Number((await getMeta(db, 'cursor')) ?? 0);
  const row = (await db('stream_cursors').where({ stream }).first('cursor')) as
    { cursor: number } | undefined;
  return row?.cursor ?? 0;
}

export async function pushAll(
  deps: ExchangeDeps,
  options: { batchSize?: number; onBatch?: () => Promise<void> | void } = {},
): Promise<{ answered: number }> {
  let answered = 0;
  for (;;) {
    const batch = await readQueued(deps.db, options.batchSize ?? PUSH_BATCH_SIZE);
    if (batch.length === 0) return { answered };
    deps.faults?.('sync:before-push');
    const raw = await deps.request(SyncEvent.push, { mutations: batch.map((entry) => entry.mutation) });
    const parsed = PushResponse.safeParse(raw);
    if (!parsed.success) {
      throw new AppError(
        SYNC_RESPONSE_INVALID,
        'The hub sent a push answer that does not match the protocol.',
      );
    }
    deps.faults?.('sync:after-push-ack');
    const now = deps.clock.now();
    const changed = await writeTransaction(deps.db, async (trx) => {
      const n = await markAnswers(trx, parsed.data.results, now);
      await deps.hooks?.answersStored?.(trx, parsed.data.results);
      await setMeta(trx, { lastSyncAt: now.toISOString() });
      return n;
    });
    deps.hooks?.committed?.();
    deps.faults?.('sync:after-answers-stored');
    answered += changed;
    await options.onBatch?.();
    // Unanswered mutations stay queued for the next round; never spin on a batch the hub skips.
    if (changed === 0) return { answered };
  }
}
