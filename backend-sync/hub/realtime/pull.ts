/**
 * sync:pull — the changes after the cursor of one stream, in seq order, one page at a time. The
 * 'device' stream is 'brand' and the device's own 'branch:<id>'; a list stream ('staff:<id>',
 * 'team:<branchId>') is served only to a socket whose staff session allows it (session.ts).
 *
 * A page never reaches past the brand's horizon, its highest visible seq read first: every lower
 * seq of the brand is then visible or never will be — on PostgreSQL because a change's seq is drawn
 * as its transaction commits, in commit order per brand (migration 055), on SQLite because there
 * is one writer at a time. No lock is taken: pulls and writers never wait on each other.
 *
 * A first sync reads a million changes or more, so no page may cost in proportion to what is left:
 * - the page is read per scope along the (brand_id, scope, seq) index, each stopping after
 *   limit + 1 rows, and merged by seq (one query over all scopes with ORDER BY seq would sort every
 *   later change of the stream); the extra row tells whether more follow;
 * - `remaining` is counted once, on a stream's first page on this socket, and then carried along:
 *   each following page (asked with the cursor the previous one returned) subtracts what it
 *   delivered. Changes written meanwhile are delivered but not counted until the estimate runs
 *   out, when it is counted again; it is never 0 while more follow (docs/protocol.md).
 */
import type { Knex } from 'knex';
import { Change, PullRequest, type PullResponse, type PullStream } from '../../protocol';
import { AppError, ErrorCode } from '../../domain/errors';
import { branchScope } from '../db/changes';
import type { DeviceContext } from './device';
import type { StaffSession } from './session';

/** Per socket: the count carried from a stream's previous page (see above). */
export type RemainingMemo = Map<PullStream, { cursor: number; remaining: number }>;

export async function pullChanges(
  db: Knex,
  device: DeviceContext,
  raw: unknown,
  session: StaffSession | null = null,
  memo: RemainingMemo = new Map(),
): Promise<PullResponse> {
  const parsed = PullRequest.safeParse(raw ?? {});
  if (!parsed.success) throw new AppError(ErrorCode.VALIDATION_FAILED, 'pull: the request is not valid.');
  const { cursor, limit, stream } = parsed.data;
  const scopes = scopesOf(device, stream, session);
  const horizon = await latestSeq(db, device.brandId);
  const after = (scope: string, seq: number) =>
    db('changes')
      .where({ brand_id: device.brandId, scope })
      .andWhere('seq', '>', seq)
      .andWhere('seq', '<=', horizon);

  const perScope = scopes.map((scope) =>
    after(scope, cursor)
      .orderBy('seq', 'asc')
      .limit(limit + 1)
      .select(COLUMNS),
  );
  const [first, ...others] = perScope;
  const rows = (await (others.length === 0
    ? first!
    : db
        .select('*')
        .from(
          db
            .select('*')
            .from(first!.as('s0'))
            .unionAll(others.map((q, i) => db.select('*').from(q.as(`s${i + 1}`))))
            .as('page'),
        )
        .orderBy('seq', 'asc')
        .limit(limit + 1))) as Record<string, unknown>[];

  const hasMore = rows.length > limit;
  const changes = rows.slice(0, limit).map(toChange);
  const lastSeq = changes.length > 0 ? changes[changes.length - 1]!.seq : cursor;
  let remaining = 0;
  if (hasMore) {
    const carried = memo.get(stream);
    remaining =
      carried?.cursor === cursor && carried.remaining > changes.length
        ? carried.remaining - changes.length
        : await countAfter(scopes.map((scope) => after(scope, lastSeq)));
  }
  // On the last page, everything up to the horizon is either delivered or out of scope, so the
  // cursor may jump there: a device then recognises a poke for another branch as nothing new.
  const nextCursor = hasMore ? lastSeq : Math.max(lastSeq, horizon);
  if (hasMore) memo.set(stream, { cursor: nextCursor, remaining });
  else memo.delete(stream);
  return { changes, cursor: nextCursor, hasMore, remaining };
}

const COLUMNS = ['seq', 'entity', 'entity_id', 'op', 'data'];

async function countAfter(queries: Knex.QueryBuilder[]): Promise<number> {
  let n = 0;
  for (const q of queries) {
    const row = (await q.count({ n: '*' }).first()) as { n: number | string } | undefined;
    n += Number(row?.n ?? 0);
  }
  return n;
}

function scopesOf(device: DeviceContext, stream: PullStream, session: StaffSession | null): string[] {
  if (stream === 'device') return ['brand', branchScope(device.branchId)];
  if (session?.streams.includes(stream)) return [stream];
  throw new AppError(ErrorCode.FORBIDDEN, 'This list is not open to the signed-in staff on this device.', {
    stream,
  });
}

function toChange(row: Record<string, unknown>): Change {
  const candidate = {
    seq: Number(row.seq),
    entity: row.entity,
    op: row.op,
    id: String(row.entity_id),
    ...(row.op === 'upsert' ? { data: JSON.parse(String(row.data)) as unknown } : {}),
  };
  const parsed = Change.safeParse(candidate);
  if (!parsed.success) {
    // A row that breaks the contract would stop every device's sync; fail loudly with the seq.
    throw new AppError(ErrorCode.INTERNAL, `change ${candidate.seq} does not match the protocol`, {
      seq: candidate.seq,
      entity: String(row.entity),
    });
  }
  return parsed.data;
}

/** Latest seq of a brand's change log (for pokes). */
export async function latestSeq(db: Knex, brandId: string): Promise<number> {
  const row = (await db('changes').where({ brand_id: brandId }).max({ m: 'seq' }).first()) as
    { m: number | string | null } | undefined;
  return Number(row?.m ?? 0);
}
