/**
 * "Needs attention": the branch's open redemption conflicts (this device's own that the hub
 * answered `conflict`, and the others the hub replicated). A sales manager, supervisor or admin
 * acknowledges or voids one; the decision is made locally at once (it works offline) and sent as
 * a `conflict.resolve` mutation in the same transaction.
 */
import type { Knex } from 'knex';
import type { Clock, IdGenerator } from '../../../backend-sync/domain/clock';
import { AppError, ErrorCode } from '../../../backend-sync/domain/errors';
import { canResolveConflicts } from '../../../backend-sync/domain/roles';
import type { RedemptionView, SessionStaff } from '../api/contract';
import { enqueue } from '../outbox';
import { getMeta } from '../store/meta';
import { writeTransaction } from '../store/transaction';
import { deviceIdentity, type DeviceIdentity } from './data';
import { notFound, TillErrorCode } from './errors';
import { OPEN_CONFLICT_SQL } from './state';
import { redemptionsQuery, toViews, viewById } from './views';

type Db = Knex | Knex.Transaction;

export async function attentionList(db: Db, me: DeviceIdentity): Promise<RedemptionView[]> {
  const q = redemptionsQuery(db)
    .where('r.branch_id', me.branchId)
    .whereRaw(OPEN_CONFLICT_SQL.replace(/(state|resolution|local_resolution)\b/g, 'r.$1'))
    .orderBy([
      { column: 'r.redeemed_at', order: 'desc' },
      { column: 'r.id', order: 'desc' },
    ]);
  return toViews(db, q);
}

/** Open conflicts of this device's branch (0 before enrollment). */
export async function attentionCount(db: Db): Promise<number> {
  const branchId = await getMeta(db, 'branchId');
  if (!branchId) return 0;
  const row = (await db('till_redemptions')
    .where({ branch_id: branchId })
    .whereRaw(OPEN_CONFLICT_SQL)
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
  staff: SessionStaff | null,
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
    const me = await deviceIdentity(trx);
    const row = (await trx('till_redemptions')
      .where({ id: input.redemptionId, branch_id: me.branchId })
      .first('id', 'state', 'resolution', 'local_resolution')) as
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
      { redemptionId: input.redemptionId, staffId: staff.id, decision: input.decision },
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
