/**
 * sync:push — one answer per mutation, in order, each mutation applied exactly once.
 *
 * A push is ONE transaction (one commit, one fsync) with a SAVEPOINT per mutation. Inside its
 * savepoint a mutation applies its effect, then inserts its `mutations` row — id under the table's
 * UNIQUE key, with the final answer. Effects decided in memory (new redemptions, claims taken,
 * events, change-log rows) are buffered per mutation and written in multi-row statements before
 * the commit (mutations/pushState.ts); a savepoint rolled back drops its buffered rows too. The
 * path is the same on SQLite and PostgreSQL. Nothing is acknowledged before the push commits, so a hub that dies first
 * has committed none of it and the device's retry applies it all; after the commit the retry is
 * answered `duplicate` with the stored answers.
 *
 * - Already stored ids (a retry) are answered from one read at the start of the push.
 * - Who made each new mutation is checked before it applies (mutations/actor.ts): the person of
 *   the sign-in it names, allowed to make its kind; a refusal is stored like any rejection.
 * - A rejected mutation (or one whose applier throws an AppError) rolls back only its savepoint;
 *   its row is then stored with the rejection, so a retry gets the same answer and it never
 *   blocks the mutations behind it.
 * - A racing push of the same id (PostgreSQL: another connection) makes our insert fail with a
 *   unique violation — PostgreSQL raises it only once the other transaction has committed, so its
 *   stored answer is readable right after our savepoint is rolled back: answered `duplicate`.
 *   Should it not be there, the whole push fails with a retryable ack error instead.
 * - Any other error (database gone, PostgreSQL deadlock) rolls the whole push back and is answered
 *   with an `INTERNAL` ack error; the device retries the same batch.
 */
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { z } from 'zod';
import {
  Mutation,
  MutationOutcome,
  PushRequest,
  type MutationKind,
  type MutationResult,
  type PushResponse,
} from '../../protocol';
import type { Clock } from '../../domain/clock';
import { AppError, ErrorCode, isAppError } from '../../domain/errors';
import { dbKind } from '../db';
import { isUniqueViolation } from './dbErrors';
import type { DeviceContext } from './device';
import { DeviceClockBounds } from './deviceClock';
import { appliers, isKnownKind, prefetchers } from './mutations/appliers';
import { checkActor } from './mutations/actor';
import { PushState } from './mutations/pushState';
import type { ApplyContext, ApplyResult, FlushFirst, Prefetcher } from './mutations/types';

export interface PushDeps {
  db: Knex;
  clock: Clock;
  logger: Logger;
  /**
   * Fault-injection tests only (electron/testing/faults): called once per push, right after its
   * transaction has committed and before it is acknowledged, at `push:after-commit-before-ack`,
   * so a test can kill the hub or drop the connection there. Absent (a no-op) in production.
   */
  faults?: (point: string) => void;
}

/** Kinds whose changes all go through the push's buffer (PushState.recordChange). */
const BUFFERED_KINDS: ReadonlySet<MutationKind> = new Set([
  'redemption.create',
  'conflict.resolve',
  'verification.failure',
  'staff.signin',
]);

export interface PushOutcome {
  response: PushResponse;
  /** At least one mutation recorded changes: the brand's devices should be poked (once). */
  changed: boolean;
  /**
   * The scopes those changes were recorded in, or null when a mutation wrote changes outside the
   * push's buffer (customer lists, broadcasts) and the change log must tell.
   */
  scopes: Set<string> | null;
}

/** A pushed item, checked before the transaction. */
type Item =
  | { id: string; answer: MutationResult; mutation?: undefined } // no usable id: never stored
  | { id: string; stored: StoredFields; mutation: Mutation; rejection?: undefined; answer?: undefined }
  | {
      id: string;
      stored: StoredFields;
      rejection: MutationOutcome;
      mutation?: undefined;
      answer?: undefined;
    };

type StoredFields = Record<string, string>;

/** A mutation's savepoint was rolled back on purpose: it was rejected. */
class Rejected extends Error {
  constructor(readonly outcome: MutationOutcome) {
    super('mutation rejected');
  }
}

const uuid = z.uuid();

export async function pushMutations(
  deps: PushDeps,
  device: DeviceContext,
  raw: unknown,
): Promise<PushOutcome> {
  const parsed = PushRequest.safeParse(raw);
  if (!parsed.success) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, 'push: expected { mutations: [1..500 items] }.');
  }
  const items = parsed.data.mutations.map((m) => checkItem(deps, device, m));
  const state = new PushState(device.brandId, device.id);
  const results: MutationResult[] = [];
  let changed = false;
  let unbuffered = false;

  await deps.db.transaction(async (trx) => {
    const ctx: ApplyContext = { trx, dbKind: dbKind(deps.db), device, clock: deps.clock, push: state };
    const ids = items.filter((i) => !i.answer).map((i) => i.id);
    const seen = await storedAnswers(trx, device, ids);
    const clockBounds = await DeviceClockBounds.load(trx, device);
    await prefetch(ctx, items, seen);
    /** Answers given in this push, for an id repeated within it. */
    const given = new Map<string, MutationResult>();
    for (const item of items) {
      let result: MutationResult;
      if (item.answer) result = item.answer;
      else if (given.has(item.id)) result = asRepeat(given.get(item.id)!);
      else if (seen.has(item.id)) result = seen.get(item.id)!;
      else {
        const time = item.mutation
          ? clockBounds.bound(item.mutation.deviceTime, deps.clock.now())
          : undefined;
        const one = await applyOne(time ? { ...ctx, time } : ctx, item);
        if (time && one.result.status !== 'rejected') clockBounds.accept(time);
        result = one.result;
        changed ||= one.changed;
        if (one.changed && item.mutation && !BUFFERED_KINDS.has(item.mutation.kind)) unbuffered = true;
      }
      if (!item.answer) given.set(item.id, result);
      results.push(result);
    }
    await state.flush(trx);
    await clockBounds.save(trx, device);
  });
  deps.faults?.('push:after-commit-before-ack');
  for (const r of results) {
    if (r.status === 'rejected') {
      deps.logger.info({ deviceId: device.id, mutationId: r.id, code: r.code }, 'mutation rejected');
    }
  }
  return {
    response: { results, hubTime: deps.clock.now().toISOString() },
    changed,
    scopes: unbuffered ? null : state.scopes,
  };
}

/** Validation happens before the transaction: what is stored, and what will run. */
function checkItem(deps: PushDeps, device: DeviceContext, raw: unknown): Item {
  const fields = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const id = typeof fields.id === 'string' ? fields.id : '';
  if (!uuid.safeParse(id).success) {
    // Without a usable id the answer cannot be remembered; it is still answered, never applied.
    return { id, answer: { id, status: 'rejected', ...invalid('The mutation needs an id (UUID).') } };
  }
  const stored: StoredFields = {
    id,
    device_id: device.id,
    kind: String(fields.kind ?? '').slice(0, 100),
    payload: JSON.stringify(fields.payload ?? null),
    device_time: String(fields.deviceTime ?? '').slice(0, 64),
    received_at: deps.clock.now().toISOString(),
  };
  if (!isKnownKind(fields.kind)) {
    const message = `Unknown mutation kind "${String(fields.kind).slice(0, 100)}".`;
    return { id, stored, rejection: { status: 'rejected', code: ErrorCode.MUTATION_UNKNOWN_KIND, message } };
  }
  const parsed = Mutation.safeParse(raw);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
    return {
      id,
      stored,
      rejection: { status: 'rejected', ...invalid(`The mutation is not valid: ${where}.`) },
    };
  }
  return { id, stored, mutation: parsed.data };
}

const invalid = (message: string) => ({ code: ErrorCode.MUTATION_INVALID, message });

/** Lets each kind load what the push's new mutations of that kind need, in one query. */
async function prefetch(ctx: ApplyContext, items: Item[], seen: Map<string, MutationResult>): Promise<void> {
  const byKind = new Map<MutationKind, Mutation[]>();
  for (const item of items) {
    if (!item.mutation || seen.has(item.id)) continue;
    const list = byKind.get(item.mutation.kind) ?? [];
    list.push(item.mutation);
    byKind.set(item.mutation.kind, list);
  }
  for (const [kind, mutations] of byKind) {
    const load = prefetchers[kind] as Prefetcher<MutationKind> | undefined;
    if (load) await load(mutations as never, ctx);
  }
}

type Applied = { result: MutationResult; changed: boolean };
type NewItem = Exclude<Item, { answer: MutationResult }>;

const applierOf = (mutation: Mutation) =>
  appliers[mutation.kind] as (m: Mutation, c: ApplyContext) => Promise<ApplyResult | FlushFirst>;

/** One new mutation: its effect and its stored answer, or neither. */
async function applyOne(ctx: ApplyContext, item: NewItem): Promise<Applied> {
  if (item.rejection)
    return { result: await storeRejection(ctx, item.stored, item.rejection), changed: false };
  const refusal = await checkActor(ctx, item.mutation);
  if (refusal) return { result: await storeRejection(ctx, item.stored, refusal), changed: false };
  return applyInSavepoint(ctx, item);
}

/** One new mutation in its savepoint: effect + its stored answer, or neither. */
async function applyInSavepoint(ctx: ApplyContext, item: NewItem & { mutation: Mutation }): Promise<Applied> {
  const { id, stored } = item;
  try {
    const done = await inSavepoint(ctx.trx, async () => {
      const result = await applierOf(item.mutation)(item.mutation, ctx);
      if ('flushFirst' in result) return result; // nothing written: the savepoint is released empty
      if (result.outcome.status === 'rejected') throw new Rejected(result.outcome);
      await ctx.trx('mutations').insert({ ...stored, outcome: JSON.stringify(result.outcome) });
      return result;
    });
    if ('flushFirst' in done) {
      // It reads rows the push has only buffered so far: write them (outside any savepoint), again.
      ctx.push.dropMutation();
      await ctx.push.flush(ctx.trx);
      return applyInSavepoint(ctx, item);
    }
    ctx.push.keepMutation();
    return { result: { id, ...done.outcome }, changed: done.changed };
  } catch (err) {
    ctx.push.dropMutation();
    if (err instanceof Rejected)
      return { result: await storeRejection(ctx, stored, err.outcome), changed: false };
    if (isAppError(err) && err.code !== ErrorCode.INTERNAL) {
      const outcome: MutationOutcome = { status: 'rejected', code: err.code, message: err.message };
      return { result: await storeRejection(ctx, stored, outcome), changed: false };
    }
    if (isUniqueViolation(err)) return { result: await racedAnswer(ctx, id, err), changed: false };
    throw err;
  }
}

/** Stores a rejection (in its own savepoint: a racing push may have stored this id already). */
async function storeRejection(
  ctx: ApplyContext,
  stored: StoredFields,
  outcome: MutationOutcome,
): Promise<MutationResult> {
  try {
    await inSavepoint(ctx.trx, () =>
      ctx.trx('mutations').insert({ ...stored, outcome: JSON.stringify(outcome) }),
    );
    return { id: stored.id!, ...outcome };
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    return racedAnswer(ctx, stored.id!, err);
  }
}

/**
 * Runs `work` in a savepoint of the push's transaction: released when it succeeds, rolled back
 * (and the push's transaction usable again, also on PostgreSQL) when it throws. Plain SQL rather
 * than knex's nested transactions, which cost about as much as the mutation's own statements.
 * Savepoints are never nested here, so one name serves every mutation.
 */
async function inSavepoint<T>(trx: Knex.Transaction, work: () => Promise<T>): Promise<T> {
  await trx.raw('SAVEPOINT push_mutation');
  let result: T;
  try {
    result = await work();
  } catch (err) {
    await trx.raw('ROLLBACK TO SAVEPOINT push_mutation');
    await trx.raw('RELEASE SAVEPOINT push_mutation');
    throw err;
  }
  await trx.raw('RELEASE SAVEPOINT push_mutation');
  return result;
}

/** Lost a race with another push of the same id: its answer, or a retryable failure of the push. */
async function racedAnswer(ctx: ApplyContext, id: string, err: unknown): Promise<MutationResult> {
  const raced = (await storedAnswers(ctx.trx, ctx.device, [id])).get(id);
  if (!raced) throw err;
  return raced;
}

/** The answer to an id repeated within one push: the same as a retry would get. */
function asRepeat(first: MutationResult): MutationResult {
  if (first.status === 'duplicate') return first;
  if (first.status === 'rejected' && first.code === 'MUTATION_ID_TAKEN') return first; // never stored
  const { id, ...outcome } = first;
  return { id, status: 'duplicate', first: MutationOutcome.parse(outcome) };
}

/** Stored answers of the ids already seen: `duplicate`, or `MUTATION_ID_TAKEN` for another device's. */
async function storedAnswers(
  trx: Knex.Transaction,
  device: DeviceContext,
  ids: string[],
): Promise<Map<string, MutationResult>> {
  const answers = new Map<string, MutationResult>();
  if (ids.length === 0) return answers;
  const rows = (await trx('mutations')
    .whereIn('id', [...new Set(ids)])
    .select('id', 'device_id', 'outcome')) as {
    id: string;
    device_id: string;
    outcome: string;
  }[];
  for (const row of rows) {
    answers.set(
      row.id,
      !device.lineage.includes(row.device_id)
        ? {
            id: row.id,
            status: 'rejected',
            code: 'MUTATION_ID_TAKEN',
            message: 'This mutation id belongs to another device.',
          }
        : { id: row.id, status: 'duplicate', first: MutationOutcome.parse(JSON.parse(String(row.outcome))) },
    );
  }
  return answers;
}
