/**
 * The outbox: every mutation this device makes, written in the SAME transaction as its local
 * effect (`enqueueOn` takes the connection inside the caller's transaction, `enqueue` the caller's knex
 * `trx`; there is no other way in), pushed to the hub in `seq`
 * order, and marked with the hub's answer. socket.io's own buffer lives in memory and dies with
 * the process; this table is the record.
 *
 * Rejected and conflict entries stay in the table, are counted for the status bar and are never
 * retried; they do not block the entries behind them because only `queued` rows are pushed.
 *
 * Entries are never deleted, and `seq` is the rowid: a new entry is always max(seq) + 1. So the
 * queued entries are found along the rowid, after the meta cursor `outboxAnsweredThrough` (every
 * entry at or below it has its answer), not through an index on status that every insert would
 * have to write (migration 006 says why that matters).
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Knex } from 'knex';
import type { z } from 'zod';
import {
  MutationPayload,
  type Mutation,
  type MutationKind,
  type MutationOutcome,
  type MutationResult,
} from '../../../backend-sync/protocol';
import type { Clock, IdGenerator } from '../../../backend-sync/domain/clock';
import { AppError, ErrorCode } from '../../../backend-sync/domain/errors';
import { preparedPer } from '../store/prepared';
import { transactionConnection } from '../store/transaction';

type Trx = Knex.Transaction;
type Db = Knex | Knex.Transaction;

export type OutboxStatus = 'queued' | 'synced' | 'rejected' | 'conflict';

export type PayloadOf<K extends MutationKind> = Extract<Mutation, { kind: K }>['payload'];

export interface EnqueueOptions {
  clock: Clock;
  ids: IdGenerator;
  /** The replicated row this mutation depends on, e.g. 'claim:<id>' (see store/mirrors.ts). */
  subject?: string | null;
}

export interface OutboxEntry {
  seq: number;
  mutation: Mutation;
  status: OutboxStatus;
  outcome: MutationOutcome | null;
}

/**
 * A new mutation: its payload validated against the protocol, stamped with a device-made id and
 * the device time (for `enqueueOn` below). Only the payload is checked: it is what callers pass in, while the id
 * and time are made here; checking the whole envelope as well measured as a noticeable share of
 * the till's commit path (bench till.redeem_commit_ms).
 */
export function newMutation<K extends MutationKind>(
  kind: K,
  payload: PayloadOf<K>,
  options: Pick<EnqueueOptions, 'clock' | 'ids'>,
): Mutation {
  const schema: z.ZodType = MutationPayload[kind];
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    throw new AppError(ErrorCode.MUTATION_INVALID, `Invalid ${kind} mutation`, {
      issues: parsed.error.issues.map((i) => ({
        path: ['payload', ...i.path].join('.'),
        message: i.message,
      })),
    });
  }
  return {
    id: options.ids(),
    kind,
    payload: parsed.data,
    deviceTime: options.clock.now().toISOString(),
  } as Mutation;
}

const insertStatement = preparedPer((conn) =>
  conn.prepare<[string, string, string | null, string, string, string]>(
    `INSERT INTO outbox (id, kind, subject, payload, device_time, status, outcome, created_at, answered_at)
     VALUES (?, ?, ?, ?, ?, 'queued', NULL, ?, NULL)`,
  ),
);

/**
 * The one writer of outbox rows: adds a mutation on `conn`, which must be inside the transaction
 * that makes the mutation's local effect, so both commit or neither does. Returns the mutation
 * (its id is the one the hub keeps). Synchronous, for callers that already hold the connection in
 * a transaction (the till's redemption); everyone else calls `enqueue`.
 */
export function enqueueOn<K extends MutationKind>(
  conn: BetterSqlite3.Database,
  kind: K,
  payload: PayloadOf<K>,
  options: EnqueueOptions,
): Mutation {
  if (!conn.inTransaction)
    throw new Error('the outbox is written only inside the transaction that makes the effect');
  const mutation = newMutation(kind, payload, options);
  const at = mutation.deviceTime;
  insertStatement(conn).run(
    mutation.id,
    mutation.kind,
    options.subject ?? null,
    JSON.stringify(mutation.payload),
    at,
    at,
  );
  return mutation;
}

/** `enqueueOn` for a knex transaction: adds a mutation inside the caller's `trx`. */
export async function enqueue<K extends MutationKind>(
  trx: Trx,
  kind: K,
  payload: PayloadOf<K>,
  options: EnqueueOptions,
): Promise<Mutation> {
  if (!trx.isTransaction)
    throw new Error('outbox.enqueue must run inside the transaction that makes the effect');
  return enqueueOn(transactionConnection(trx), kind, payload, options);
}

interface OutboxDbRow {
  seq: number;
  id: string;
  kind: string;
  payload: string;
  device_time: string;
  status: OutboxStatus;
  outcome: string | null;
}

const toEntry = (r: OutboxDbRow): OutboxEntry => ({
  seq: r.seq,
  mutation: { id: r.id, kind: r.kind, payload: JSON.parse(r.payload), deviceTime: r.device_time } as Mutation,
  status: r.status,
  outcome: r.outcome ? (JSON.parse(r.outcome) as MutationOutcome) : null,
});

/** The cursor: every entry with seq at or below it is answered (0 before the first answer). */
const ANSWERED_THROUGH = `coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'outboxAnsweredThrough'), 0)`;

/** SQL condition for "this outbox row is queued", read along the rowid from the cursor. */
export const IS_QUEUED = `outbox.seq > ${ANSWERED_THROUGH} AND outbox.status = 'queued'`;

/** The oldest queued mutations, in the order they were made. */
export async function readQueued(db: Db, limit: number): Promise<OutboxEntry[]> {
  const rows = (await db('outbox').whereRaw(IS_QUEUED).orderBy('seq').limit(limit)) as OutboxDbRow[];
  return rows.map(toEntry);
}

export async function readAll(db: Db): Promise<OutboxEntry[]> {
  return ((await db('outbox').orderBy('seq')) as OutboxDbRow[]).map(toEntry);
}

/** Kinds whose rejections are shown where they were made (customers screen), not in the status bar. */
const ANSWERED_ON_SCREEN: MutationKind[] = ['customer.add', 'broadcast.send'];

export interface OutboxCounts {
  queued: number;
  /** Of the queued: redemptions (what a cashier means by "waiting to sync"; sign-ins are not). */
  queuedRedemptions: number;
  rejected: number;
  conflicts: number;
}

export async function countByStatus(db: Db): Promise<OutboxCounts> {
  const [queued, problems] = await Promise.all([
    db('outbox').whereRaw(IS_QUEUED).groupBy('kind').select('kind').count({ n: '*' }),
    // Read from the partial index on rejected and conflict entries (migration 006): the query
    // has to say `status IN ('rejected', 'conflict')` in those words for SQLite to use it.
    db('outbox')
      .whereRaw(`status IN ('rejected', 'conflict')`)
      // A refused add or broadcast is an answer its own screen shows, not a sync problem.
      .where((q) => q.whereNot('status', 'rejected').orWhereNotIn('kind', ANSWERED_ON_SCREEN))
      .groupBy('status')
      .select('status')
      .count({ n: '*' }),
  ]);
  const rows = problems as { status: OutboxStatus; n: number }[];
  const n = (s: OutboxStatus) => Number(rows.find((r) => r.status === s)?.n ?? 0);
  const byKind = queued as { kind: MutationKind; n: number }[];
  return {
    queued: byKind.reduce((sum, r) => sum + Number(r.n), 0),
    queuedRedemptions: Number(byKind.find((r) => r.kind === 'redemption.create')?.n ?? 0),
    rejected: n('rejected'),
    conflicts: n('conflict'),
  };
}

/** Marking an answer runs once per pushed mutation: a statement prepared once, not a knex query. */
const answerStatements = preparedPer((conn) => ({
  mark: conn.prepare<[OutboxStatus, string, string, string]>(
    `UPDATE outbox SET status = ?, outcome = ?, answered_at = ? WHERE id = ? AND status = 'queued'`,
  ),
  /** The cursor moves to just before the oldest entry still queued, or to the newest entry. */
  advance: conn.prepare(
    `INSERT INTO meta (key, value) VALUES ('outboxAnsweredThrough', CAST(coalesce(
       (SELECT seq - 1 FROM outbox WHERE ${IS_QUEUED} ORDER BY seq LIMIT 1),
       (SELECT max(seq) FROM outbox),
       0) AS TEXT))
     ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
  ),
}));

/**
 * What the hub's answer to one mutation means here: the outcome to keep (a duplicate carries the
 * first answer the hub gave, and that is the one recorded) and the entry's status. The till's own
 * redemption states follow the same mapping (till/answers.ts).
 */
export function answerOf(result: MutationResult): {
  outcome: MutationOutcome;
  status: Exclude<OutboxStatus, 'queued'>;
} {
  const outcome: MutationOutcome = result.status === 'duplicate' ? result.first : stripId(result);
  const status =
    outcome.status === 'applied' ? 'synced' : outcome.status === 'rejected' ? 'rejected' : 'conflict';
  return { outcome, status };
}

/**
 * Records the hub's per-mutation answers (call inside one transaction for a whole push answer).
 * Answers for ids that
 * are not queued here (already answered, or unknown) are ignored. Returns how many rows changed.
 */
export async function markAnswers(trx: Trx, results: readonly MutationResult[], at: Date): Promise<number> {
  const sql = answerStatements(transactionConnection(trx));
  const answeredAt = at.toISOString();
  let changed = 0;
  for (const result of results) {
    const { outcome, status } = answerOf(result);
    changed += sql.mark.run(status, JSON.stringify(outcome), answeredAt, result.id).changes;
  }
  if (changed > 0) sql.advance.run();
  return changed;
}

function stripId(result: MutationOutcome & { id: string }): MutationOutcome {
  const { id: _id, ...outcome } = result;
  return outcome as MutationOutcome;
}

/**
 * A restored hub lost what it had answered after its backup (sync/epoch.ts): the entries it
 * applied (or decided as a conflict) since `since` are queued again, with the sign-ins they were
 * made under however old, and the answered-through cursor moves back before the oldest. Returns
 * how many were queued again.
 */
export async function requeueDelivered(trx: Trx, since: Date): Promise<number> {
  const at = since.toISOString();
  const delivered = `status IN ('synced', 'conflict') AND answered_at >= ?`;
  const again = trx('outbox')
    .whereRaw(delivered, [at])
    .orWhereRaw(
      `status = 'synced' AND kind = 'staff.signin' AND id IN
         (SELECT json_extract(payload, '$.signInId') FROM outbox WHERE ${delivered})`,
      [at],
    );
  const oldest = (await again.clone().min({ seq: 'seq' }).first()) as { seq: number | null } | undefined;
  if (oldest?.seq == null) return 0;
  // The cursor moves back first: an entry is queued again only behind it (migration 015).
  const through = await trx('meta').where({ key: 'outboxAnsweredThrough' }).first('value');
  const cursor = Math.min(Number(through?.value ?? 0), oldest.seq - 1);
  await trx('meta')
    .insert({ key: 'outboxAnsweredThrough', value: String(cursor) })
    .onConflict('key')
    .merge();
  return again.update({ status: 'queued', outcome: null, answered_at: null });
}

/** A staff member's latest mutations of one kind, newest first (their requests and answers). */
export async function readRecentOfKind(
  db: Db,
  kind: MutationKind,
  staffId: string,
  limit: number,
): Promise<(OutboxEntry & { createdAt: string })[]> {
  const rows = (await db('outbox')
    .where({ kind })
    .andWhereRaw(`json_extract(payload, '$.staffId') = ?`, [staffId])
    .orderBy('seq', 'desc')
    .limit(limit)) as (OutboxDbRow & { created_at: string })[];
  return rows.map((r) => ({ ...toEntry(r), createdAt: r.created_at }));
}
