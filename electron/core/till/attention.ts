/**
 * "Needs attention": the open redemption conflicts this branch deals with — this device's own that
 * the hub answered `conflict`, the branch's others, and those the branch's redemption won (the hub
 * replicates a conflict to the winner's branch too). A sales manager, supervisor or admin
 * acknowledges or voids one; the decision is made locally at once (it works offline) and sent as
 * a `conflict.resolve` mutation in the same transaction.
 */
import type { Knex } from 'knex';
import type { Clock, IdGenerator } from '../../../backend-sync/domain/clock';
import { AppError, ErrorCode } from '../../../backend-sync/domain/errors';
import { canResolveConflicts } from '../../../backend-sync/domain/roles';
import type { RedemptionView, SignedInStaff } from '../consoleApi/contract';
import { enqueue } from '../outbox/outbox';
import { writeTransaction } from '../store/transaction';
import { cachedIdentity, requireIdentity } from './cache';
import type { DeviceIdentity } from './lookups';
import { notFound, TillErrorCode } from './errors';
import { OPEN_CONFLICT_SQL } from './state';
import { redemptionsQuery, toViews, viewById } from './views';

type Db = Knex | Knex.Transaction;

const OPEN_CONFLICT_R = OPEN_CONFLICT_SQL.replace(/(state|resolution|local_resolution)\b/g, 'r.$1');

/**
 * A conflict this branch deals with: its own redemption lost, or the winner is this branch's (the
 * hub replicates a conflict to both branches, and a manager of either may resolve it). The
 * winner's branch comes from its row when replicated here (`w`, see views.ts), else from what
 * this till learnt of the winner (conflict details, the claim's holder).
 */
function involvingBranch(q: Knex.QueryBuilder, branchId: string): Knex.QueryBuilder {
  return q.where((w) =>
    w.where('r.branch_id', branchId).orWhereRaw('COALESCE(w.branch_id, r.winner_branch_id) = ?', [branchId]),
  );
}

export async function attentionList(db: Db, me: DeviceIdentity): Promise<RedemptionView[]> {
  const q = involvingBranch(redemptionsQuery(db), me.branchId)
    .whereRaw(OPEN_CONFLICT_R)
    .orderBy([
      { column: 'r.redeemed_at', order: 'desc' },
      { column: 'r.id', order: 'desc' },
    ]);
  return toViews(db, q);
}

/** Open conflicts this branch deals with (0 before enrollment). */
export async function attentionCount(db: Knex): Promise<number> {
  const me = await cachedIdentity(db);
  if (!me) return 0;
  const row = (await involvingBranch(
    db('till_redemptions as r').leftJoin('till_redemptions as w', 'w.id', 'r.winner_id'),
    me.branchId,
  )
    .whereRaw(OPEN_CONFLICT_R)
    .count({ n: '*' })
    .first()) as { n: number } | undefined;
  return Number(row?.n ?? 0);
}

export interface ResolveDeps {
  db: Knex;
  clock: Clock;
  ids: IdGenerator;
}

export async function resolveConflict(
  deps: ResolveDeps,
  staff: SignedInStaff | null,
  input: { redemptionId: string; decision: 'acknowledge' | 'void' },
): Promise<RedemptionView> {
  if (!staff) throw new AppError(ErrorCode.NOT_SIGNED_IN, 'Sign in to resolve conflicts.');
  if (!canResolveConflicts(staff.role)) {
    throw new AppError(
      ErrorCode.FORBIDDEN,
      'Only a sales manager, supervisor or admin can resolve conflicts.',
    );
  }
  return writeTransaction(deps.db, async (trx) => {
    const me = await requireIdentity(deps.db, trx);
    const row = (await involvingBranch(
      trx('till_redemptions as r').leftJoin('till_redemptions as w', 'w.id', 'r.winner_id'),
      me.branchId,
    )
      .where('r.id', input.redemptionId)
      .first('r.state', 'r.resolution', 'r.local_resolution')) as
      { state: string; resolution: string | null; local_resolution: string | null } | undefined;
    if (!row) throw notFound('Redemption');
    // As at the hub: an acknowledged conflict may still be voided; a voided one is final.
    const resolution = row.resolution ?? row.local_resolution;
    const open = resolution === null || (resolution === 'acknowledged' && input.decision === 'void');
    if (row.state !== 'conflict' || !open) {
      throw new AppError(TillErrorCode.CONFLICT_NOT_OPEN, 'This redemption is not an open conflict.');
    }
    await enqueue(
      trx,
      'conflict.resolve',
      {
        redemptionId: input.redemptionId,
        staffId: staff.id,
        signInId: staff.signInId,
        decision: input.decision,
      },
      { clock: deps.clock, ids: deps.ids, subject: `redemption:${input.redemptionId}` },
    );
    await trx('till_redemptions')
      .where({ id: input.redemptionId })
      .update({ local_resolution: input.decision === 'void' ? 'voided' : 'acknowledged' });
    const view = await viewById(trx, input.redemptionId);
    if (!view) throw notFound('Redemption');
    return view;
  });
}
