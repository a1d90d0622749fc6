/**
 * sync:poke — "changes are waiting", sent only to the sockets whose streams a change touched and
 * coalesced per brand, so an opening-hour burst of pushes makes a few pulls per till, not one per
 * push per till of the brand.
 *
 * Every socket sits in a room per scope it reads (auth.ts, session.ts): `brand:<brandId>` (scope
 * 'brand'), `branch:<id>`, and while a staff session is open `staff:<id>` / `team:<branchId>`. A
 * scope name is its room's name, except 'brand'.
 *
 * Which scopes a write touched: a push says (the changes it buffered); any other writer (admin API,
 * webhooks, broadcast progress) only names the brand, and the poker reads the scopes of the
 * brand's changes since a watermark (the latest seq the previous poke read) from the change log's
 * (brand_id, seq) index. A brand's seqs become visible in order on both databases (on PostgreSQL a
 * change's seq is drawn at commit, migration 055), so nothing can appear below the watermark later.
 *
 * Coalescing: a brand's notifications are sent once none came for POKE_QUIET_MS, or at the latest
 * POKE_MAX_WAIT_MS after the first of them, as one poke to the union of their rooms (one message
 * per socket). A lone change is announced within POKE_QUIET_MS; a burst of pushes (opening hour)
 * makes one poke per socket per POKE_MAX_WAIT_MS, so one pull per till, not one per push.
 */
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { Server } from 'socket.io';
import type { Clock } from '../../domain/clock';
import { SyncEvent, type Poke } from '../../protocol';
import { brandRoom } from './device';
import { latestSeq } from './pull';

export const POKE_QUIET_MS = 30;
export const POKE_MAX_WAIT_MS = 1000;

export interface Poker {
  /**
   * After a commit: poke the sockets that read `scopes` of the brand (the scopes its changes were
   * recorded in), or, without scopes, those of the changes the brand's log shows since the last
   * pokes.
   */
  notify(brandId: string, scopes?: Iterable<string>): void;
  /** Resolves when every poke notified so far has been sent. */
  settle(): Promise<void>;
}

interface Pending {
  scopes: Set<string>;
  /** Some writer did not say which scopes: read them from the log. */
  discover: boolean;
  firstAt: number;
  lastAt: number;
}

export function createPoker(io: Server, deps: { db: Knex; clock: Clock; logger: Logger }): Poker {
  const pending = new Map<string, Pending>();
  /** Per brand: the latest seq the previous poke read (the watermark). */
  const readings = new Map<string, number>();
  const inFlight = new Set<Promise<void>>();

  const watermark = (brandId: string): number | null => readings.get(brandId) ?? null;
  const remember = (brandId: string, seq: number): void => void readings.set(brandId, seq);

  const roomsOf = async (brandId: string, job: Pending, cursor: number): Promise<string[]> => {
    const scopes = new Set(job.scopes);
    if (job.discover) {
      const since = watermark(brandId);
      if (since === null) return [brandRoom(brandId)];
      const rows = (await deps
        .db('changes')
        .where({ brand_id: brandId })
        .andWhere('seq', '>', since)
        .andWhere('seq', '<=', cursor)
        .distinct('scope')) as { scope: string }[];
      for (const row of rows) scopes.add(row.scope);
    }
    return [...scopes].map((scope) => (scope === 'brand' ? brandRoom(brandId) : scope));
  };

  const send = async (brandId: string, job: Pending): Promise<void> => {
    pending.delete(brandId);
    const cursor = await latestSeq(deps.db, brandId);
    const rooms = await roomsOf(brandId, job, cursor);
    remember(brandId, cursor);
    if (rooms.length > 0) io.to(rooms).emit(SyncEvent.poke, { cursor } satisfies Poke);
  };

  /** Waits until the brand's notifications pause (or the longest wait is over), then sends. */
  const whenDue = async (job: Pending): Promise<void> => {
    for (;;) {
      const due = Math.min(job.lastAt + POKE_QUIET_MS, job.firstAt + POKE_MAX_WAIT_MS);
      const wait = due - performance.now();
      if (wait <= 0) return;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  };

  return {
    notify(brandId, scopes) {
      const at = performance.now();
      let job = pending.get(brandId);
      if (!job) {
        const created: Pending = { scopes: new Set(), discover: false, firstAt: at, lastAt: at };
        const sent: Promise<void> = whenDue(created)
          .then(() => send(brandId, created))
          .catch((err: unknown) => deps.logger.warn({ err, brandId }, 'poke failed'))
          .finally(() => inFlight.delete(sent));
        inFlight.add(sent);
        pending.set(brandId, created);
        job = created;
      }
      job.lastAt = at;
      if (scopes === undefined) job.discover = true;
      else for (const scope of scopes) job.scopes.add(scope);
    },
    settle: async () => {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
