/**
 * Replicating hub-decided redemptions. A redemption row goes to its own branch and, for a
 * conflict, also to the branch of the redemption that holds the claim, so the devices and the
 * managers of both branches see it in "needs attention" (and later see how it was resolved).
 */
import { branchScope, type Scope } from '../../db/changes';
import { toRedemptionRow } from '../../db/rows';
import type { ApplyContext } from './types';

type Row = Record<string, unknown>;

/** Branches a redemption involves: its own, and its winner's when it lost to another branch. */
export async function involvedBranches(ctx: ApplyContext, redemption: Row): Promise<string[]> {
  const branches = [String(redemption.branch_id)];
  if (redemption.winner_id) {
    const winner = await ctx.trx('redemptions').where({ id: redemption.winner_id }).first('branch_id');
    if (winner && !branches.includes(String(winner.branch_id))) branches.push(String(winner.branch_id));
  }
  return branches;
}

/**
 * Appends the redemption's current row, read back, to the change log (written at the end of the
 * push, same transaction as its write). For redemptions changed in ways not known in memory.
 * `alsoTo`: branches that received the row before and must see it change (its old winner's).
 */
export async function recordRedemptionChange(
  ctx: ApplyContext,
  redemptionId: string,
  alsoTo: readonly string[] = [],
): Promise<void> {
  const row = (await ctx.trx('redemptions').where({ id: redemptionId }).first()) as Row | undefined;
  if (!row) throw new Error(`redemption ${redemptionId} vanished inside its own transaction`);
  const scopes: Scope[] = [...(await involvedBranches(ctx, row)), ...alsoTo].map(branchScope);
  ctx.push.recordChange({
    brandId: ctx.device.brandId,
    scopes,
    entity: 'redemption',
    id: redemptionId,
    op: 'upsert',
    data: toRedemptionRow(row, ctx.device.brandId),
    at: ctx.clock.now(),
  });
}
