/**
 * The shape every mutation applier shares. An applier runs inside the savepoint that also stores
 * the mutation's id and answer, within the push's one transaction, so an effect and its "seen
 * once" record commit together (or not at all) — the same on SQLite and PostgreSQL.
 */
import type { Knex } from 'knex';
import type { Mutation, MutationKind, MutationOutcome } from '../../../protocol';
import type { Clock } from '../../../domain/clock';
import type { BoundedTime } from '../../../domain/deviceTime';
import type { HubDbKind } from '../../db';
import type { DeviceContext } from '../device';
import type { PushState } from './pushState';

export interface ApplyContext {
  /** The push's transaction, inside the mutation's savepoint. */
  trx: Knex.Transaction;
  dbKind: HubDbKind;
  device: DeviceContext;
  clock: Clock;
  /** Lookups cached across the push; events and changes, written at the end of the push. */
  push: PushState;
  /**
   * The mutation's device time as the hub bounded it (realtime/deviceClock.ts), set for each
   * new mutation before it is applied.
   */
  time?: BoundedTime;
}

/**
 * Optional per-kind preparation, run once per push before its mutations (in the push's
 * transaction, not a savepoint): loads (and on PostgreSQL locks) what the batch will need.
 */
export type Prefetcher<K extends MutationKind> = (
  mutations: Extract<Mutation, { kind: K }>[],
  ctx: ApplyContext,
) => Promise<void>;

export interface ApplyResult {
  outcome: MutationOutcome;
  /** True when the applier recorded changes, so devices of the brand get a poke. */
  changed: boolean;
}

/**
 * An applier's answer when it must read rows back that earlier mutations of the push have only
 * buffered (`ctx.push.hasPendingWrites`). It returns this before writing anything; the push writes
 * the buffered rows and runs the mutation again.
 */
export const FLUSH_FIRST = { flushFirst: true } as const;
export type FlushFirst = typeof FLUSH_FIRST;

export type Applier<K extends MutationKind> = (
  mutation: Extract<Mutation, { kind: K }>,
  ctx: ApplyContext,
) => Promise<ApplyResult | FlushFirst>;

export const applied = (changed = false): ApplyResult => ({ outcome: { status: 'applied' }, changed });

export const rejected = (code: string, message: string): ApplyResult => ({
  outcome: { status: 'rejected', code, message },
  changed: false,
});

/** Records an audit-only row (events table), written with the push's other events. */
export function recordEvent(
  ctx: ApplyContext,
  kind: string,
  staffId: string | null,
  data: Record<string, unknown>,
): void {
  ctx.push.recordEvent({ kind, staffId, data }, ctx.clock.now());
}

type Row = Record<string, unknown>;

/** A staff member of the device's brand, read once per push. */
export const staffOf = (ctx: ApplyContext, staffId: string): Promise<Row | undefined> =>
  ctx.push.lookup(`staff:${staffId}`, () =>
    ctx.trx('staff').where({ id: staffId, brand_id: ctx.device.brandId }).first(),
  );

/** A coupon of the device's brand, read once per push. */
export const couponOf = (ctx: ApplyContext, couponId: string): Promise<Row | undefined> =>
  ctx.push.lookup(`coupon:${couponId}`, () =>
    ctx.trx('coupons').where({ id: couponId, brand_id: ctx.device.brandId }).first(),
  );
