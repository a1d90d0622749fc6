/**
 * Meeting a restored or replaced hub. On every connect, before pushing or pulling, the console
 * asks the hub's epoch (sync:epoch: database id, restore generation, change-log horizon). When the
 * generation differs from the one it stored, or its cursor is above the hub's horizon, the hub
 * has lost changes this console had: it pulls everything again (cursors to 0) and puts the
 * mutations the hub answered within the re-push window back in the queue, in their order. A
 * different database id (enrolled to another hub) only pulls everything again. The
 * hub answers those it still has `duplicate` and applies the others once (mutation ids are its
 * idempotency keys), so exactly-once holds.
 */
import type { Knex } from 'knex';
import type { Clock } from '../../../backend-sync/domain/clock';
import { AppError } from '../../../backend-sync/domain/errors';
import { HubEpoch, SyncEvent } from '../../../backend-sync/protocol';
import { requeueDelivered } from '../outbox/outbox';
import { getAllMeta, setMeta } from '../store/meta';
import { writeTransaction } from '../store/transaction';
import { SYNC_RESPONSE_INVALID, type Request } from './exchange';

/** How far back a restored hub's losses are made good: a backup older than this loses more. */
export const REPUSH_WINDOW_MS = 14 * 24 * 3_600_000;

export interface EpochCheck {
  resynced: boolean;
  /** Mutations put back in the queue. */
  requeued: number;
}

/** The database id of a stored `<id>:<generation>` stamp. */
const epochIdOf = (stamp: string): string => stamp.slice(0, stamp.lastIndexOf(':'));

export async function checkHubEpoch(deps: { db: Knex; clock: Clock; request: Request }): Promise<EpochCheck> {
  const parsed = HubEpoch.safeParse(await deps.request(SyncEvent.epoch, {}));
  if (!parsed.success)
    throw new AppError(SYNC_RESPONSE_INVALID, 'The hub sent an epoch that does not match the protocol.');
  const epoch = parsed.data;
  const stamp = `${epoch.id}:${epoch.generation}`;
  return writeTransaction(deps.db, async (trx) => {
    const meta = await getAllMeta(trx);
    const streamRow = (await trx('stream_cursors').max({ m: 'cursor' }).first()) as
      { m: number | null } | undefined;
    const cursor = Math.max(Number(meta.cursor ?? 0), Number(streamRow?.m ?? 0));
    const known = meta.hubEpoch ?? null;
    // Another hub database altogether (the device left and enrolled elsewhere): its log starts
    // afresh, but what the old one answered is not this one's to take again.
    const otherHub = known !== null && epochIdOf(known) !== epoch.id;
    const restored = known !== null && !otherHub && known !== stamp;
    if (!otherHub && !restored && cursor <= epoch.horizon) {
      if (known === null) await setMeta(trx, { hubEpoch: stamp });
      return { resynced: false, requeued: 0 };
    }
    await setMeta(trx, { hubEpoch: stamp, cursor: '0', firstSyncDone: null });
    await trx('stream_cursors').delete();
    if (otherHub) return { resynced: true, requeued: 0 };
    const since = new Date(deps.clock.now().getTime() - REPUSH_WINDOW_MS);
    return { resynced: true, requeued: await requeueDelivered(trx, since) };
  });
}
