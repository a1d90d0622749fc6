/**
 * The shape every mutation applier shares. An applier runs inside the transaction that also
 * stores the mutation's id and answer, so an effect and its "seen once" record commit together.
 */
import type { Knex } from 'knex';
import type { Mutation, MutationKind, MutationOutcome } from '../../../protocol';
import type { Clock } from '../../../domain/clock';
import type { HubDbKind } from '../../db';
import type { DeviceContext } from '../device';

export interface ApplyContext {
  trx: Knex.Transaction;
  dbKind: HubDbKind;
  device: DeviceContext;
  clock: Clock;
}

export interface ApplyResult {
  outcome: MutationOutcome;
  /** True when the applier recorded changes, so devices of the brand get a poke. */
  changed: boolean;
}

export type Applier<K extends MutationKind> = (
  mutation: Extract<Mutation, { kind: K }>,
  ctx: ApplyContext,
) => Promise<ApplyResult>;

export const applied = (changed = false): ApplyResult => ({ outcome: { status: 'applied' }, changed });

export const rejected = (code: string, message: string): ApplyResult => ({
  outcome: { status: 'rejected', code, message },
  changed: false,
});

/** Inserts an audit-only row (events table). */
export async function recordEvent(
  ctx: ApplyContext,
  kind: string,
  staffId: string | null,
  data: Record<string, unknown>,
): Promise<void> {
  await ctx.trx('events').insert({
    brand_id: ctx.device.brandId,
    kind,
    device_id: ctx.device.id,
    staff_id: staffId,
    data: JSON.stringify(data),
    at: ctx.clock.now().toISOString(),
  });
}
