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
import { markAnswers, readQueued } from '../outbox/outbox';
import { applyChanges } from '../store/mirrors';
import { getMeta, setMeta } from '../store/meta';
import { writeTransaction } from '../store/transaction';
import type { Faults } from './faults';
import type { SyncHooks } from './hooks';

export type Request = (event: string, payload: unknown) => Promise<unknown>;

/** The protocol's largest page: a first sync of a million changes takes 200 round trips, not 1,000. */
export const PULL_PAGE_SIZE = 5000;
/**
 * A pull keeps storing the pages that arrive in the transaction it opened for up to this long
 * (they come back to back while the hub keeps up). Each commit writes the WAL, checkpoints and
 * syncs the disk, and on a million claims inserted at random places in their code and token
 * indexes that costs more than applying the rows (a first sync takes a fifth less time with 100
 * ms than with a commit per page). Short, because the till waits for the store's one connection
 * meanwhile and the progress moves at each commit.
 */
export const PULL_TRANSACTION_MS = 100;
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
  /** Pages stored by this commit. */
  pages: number;
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
    transactionMs?: number;
    onPage?: (progress: PullProgress) => Promise<void> | void;
  } = {},
): Promise<{ received: number }> {
  const stream = options.stream ?? 'device';
  const transactionMs = options.transactionMs ?? PULL_TRANSACTION_MS;
  const fetchPage = async (cursor: number): Promise<PullResponse> => {
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
    return parsed.data;
  };
  // The next page is asked for before this one is stored, so the hub reads it while we write.
  // If storing fails, it is dropped unread (the round fails and starts again from the cursor).
  const prefetch = (cursor: number): Promise<PullResponse> => {
    const page = fetchPage(cursor);
    page.catch(() => undefined);
    return page;
  };
  // A page that made no progress but claims more would loop forever; stop and try again later.
  const after = (page: PullResponse) =>
    page.hasMore && page.changes.length > 0 ? prefetch(page.cursor) : null;
  let next: Promise<PullResponse> | null = prefetch(await readCursor(deps.db, stream));
  let received = 0;
  while (next) {
    let page = await next;
    let pages = 0;
    const now = deps.clock.now().toISOString();
    // Pages and the last one's cursor are stored together: a crash between the two can neither
    // skip changes (cursor ahead of rows) nor leave a cursor behind rows that are already applied.
    await writeTransaction(deps.db, async (trx) => {
      const opened = performance.now();
      for (;;) {
        deps.faults?.('sync:before-pull-apply');
        next = after(page);
        await applyChanges(trx, page.changes, stream);
        await deps.hooks?.pageApplied?.(trx, page.changes);
        received += page.changes.length;
        pages += 1;
        const arrived = next && (await within(next, transactionMs - (performance.now() - opened)));
        if (!arrived) break;
        page = arrived;
      }
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
    await options.onPage?.({ received, remaining: page.remaining, pages });
  }
  return { received };
}

/** The page, if it arrives within `ms` (and without error); else undefined. */
async function within(page: Promise<PullResponse>, ms: number): Promise<PullResponse | undefined> {
  if (ms <= 0) return undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(resolve, ms, undefined);
  });
  try {
    return await Promise.race([page.catch(() => undefined), late]);
  } finally {
    clearTimeout(timer);
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
