/**
 * sync:push — one answer per mutation, in order, each mutation applied exactly once.
 *
 * Exactly once: the mutation's id row is inserted FIRST inside the transaction that applies it,
 * under the table's UNIQUE id. A retry, or a second push racing the first with the same id, hits
 * that constraint (PostgreSQL makes the second insert wait for the first to commit), rolls back
 * without applying anything, and is answered `duplicate` with the stored first answer.
 *
 * An invalid mutation is answered `rejected` and stored like any other (so a retry gets the same
 * answer); it never blocks the ones behind it. An unexpected error (database down) aborts the whole
 * push with an ack error instead: everything answered so far is committed, so the device's retry
 * gets `duplicate` for those and continues from the one that failed.
 */
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { z } from 'zod';
import {
  Mutation,
  MutationOutcome,
  PushRequest,
  type MutationResult,
  type PushResponse,
} from '../../protocol';
import type { Clock } from '../../domain/clock';
import { AppError, ErrorCode } from '../../domain/errors';
import { dbKind } from '../db';
import { isUniqueViolation } from './dbErrors';
import type { DeviceContext } from './device';
import { appliers, isKnownKind } from './mutations';
import type { ApplyContext, ApplyResult } from './mutations/types';

export interface PushDeps {
  db: Knex;
  clock: Clock;
  logger: Logger;
  /**
   * Fault-injection tests only (electron/core/faults): called after each mutation's transaction
   * has committed and before the push is acknowledged, at `push:after-commit-before-ack`, so a
   * test can kill the hub or drop the connection there. Absent (a no-op) in production.
   */
  faults?: (point: string) => void;
}

export interface PushOutcome {
  response: PushResponse;
  /** At least one mutation recorded changes: the brand's devices should be poked. */
  changed: boolean;
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
  const results: MutationResult[] = [];
  let changed = false;
  for (const item of parsed.data.mutations) {
    const one = await pushOne(deps, device, item);
    results.push(one.result);
    changed ||= one.changed;
  }
  return { response: { results }, changed };
}

async function pushOne(
  deps: PushDeps,
  device: DeviceContext,
  raw: unknown,
): Promise<{ result: MutationResult; changed: boolean }> {
  const fields = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const id = typeof fields.id === 'string' ? fields.id : '';
  if (!uuid.safeParse(id).success) {
    // Without a usable id the answer cannot be remembered; it is still answered, never applied.
    return {
      result: { id, status: 'rejected', ...invalid('The mutation needs an id (UUID).') },
      changed: false,
    };
  }
  const seen = await answerIfSeen(deps.db, device, id);
  if (seen) return { result: seen, changed: false };

  const plan = planFor(raw, fields);
  try {
    const outcome = await deps.db.transaction(async (trx) => {
      await trx('mutations').insert({
        id,
        device_id: device.id,
        kind: String(fields.kind ?? '').slice(0, 100),
        payload: JSON.stringify(fields.payload ?? null),
        device_time: String(fields.deviceTime ?? '').slice(0, 64),
        outcome: JSON.stringify({ status: 'rejected', code: 'IN_PROGRESS', message: '' }),
        received_at: deps.clock.now().toISOString(),
      });
      const ctx: ApplyContext = { trx, dbKind: dbKind(deps.db), device, clock: deps.clock };
      const result = await plan(ctx);
      await trx('mutations')
        .where({ id })
        .update({ outcome: JSON.stringify(result.outcome) });
      return result;
    });
    deps.faults?.('push:after-commit-before-ack');
    if (outcome.outcome.status === 'rejected') {
      deps.logger.info(
        { deviceId: device.id, mutationId: id, code: outcome.outcome.code },
        'mutation rejected',
      );
    }
    return { result: { id, ...outcome.outcome }, changed: outcome.changed };
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    // Lost a race with a push of the same id: its answer is now stored.
    const raced = await answerIfSeen(deps.db, device, id);
    if (!raced) throw err;
    return { result: raced, changed: false };
  }
}

/** Validation happens before the transaction; the plan is what runs inside it. */
function planFor(raw: unknown, fields: Record<string, unknown>): (ctx: ApplyContext) => Promise<ApplyResult> {
  if (!isKnownKind(fields.kind)) {
    const outcome: MutationOutcome = {
      status: 'rejected',
      code: ErrorCode.MUTATION_UNKNOWN_KIND,
      message: `Unknown mutation kind "${String(fields.kind).slice(0, 100)}".`,
    };
    return async () => ({ outcome, changed: false });
  }
  const parsed = Mutation.safeParse(raw);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
    const outcome: MutationOutcome = {
      status: 'rejected',
      ...invalid(`The mutation is not valid: ${where}.`),
    };
    return async () => ({ outcome, changed: false });
  }
  const mutation = parsed.data;
  const apply = appliers[mutation.kind] as (m: Mutation, ctx: ApplyContext) => Promise<ApplyResult>;
  return (ctx) => apply(mutation, ctx);
}

const invalid = (message: string) => ({ code: ErrorCode.MUTATION_INVALID, message });

async function answerIfSeen(
  db: Knex,
  device: DeviceContext,
  id: string,
): Promise<MutationResult | undefined> {
  const row = await db('mutations').where({ id }).first('device_id', 'outcome');
  if (!row) return undefined;
  if (row.device_id !== device.id) {
    return {
      id,
      status: 'rejected',
      code: 'MUTATION_ID_TAKEN',
      message: 'This mutation id belongs to another device.',
    };
  }
  return { id, status: 'duplicate', first: MutationOutcome.parse(JSON.parse(String(row.outcome))) };
}
