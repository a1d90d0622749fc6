/**
 * WhatsApp delivery statuses (sent → delivered → read, or failed) arrive out of order and more
 * than once. A message's status only moves forward, and failed is final.
 */
import type { Knex } from 'knex';

const RANK: Record<string, number> = { queued: 0, sent: 1, delivered: 2, read: 3 };

export type DeliveryStatus = 'sent' | 'delivered' | 'read' | 'failed';

/** Whether a message at `current` may move to `next`. */
export function statusMovesForward(current: string, next: DeliveryStatus): boolean {
  if (current === 'failed') return false;
  if (next === 'failed') return current === 'queued' || current === 'sent';
  return (RANK[next] ?? -1) > (RANK[current] ?? 99);
}

const STAMP: Record<DeliveryStatus, string> = {
  sent: 'sent_at',
  delivered: 'delivered_at',
  read: 'read_at',
  failed: 'failed_at',
};

/** Applies a status webhook to the outbound message with that platform id; false when ignored. */
export async function applyDeliveryStatus(
  trx: Knex | Knex.Transaction,
  update: { platformMessageId: string; status: DeliveryStatus; at: string; error?: string | null },
): Promise<boolean> {
  const row = (await trx('outbound_messages')
    .where({ platform_message_id: update.platformMessageId })
    .first()) as Record<string, unknown> | undefined;
  if (!row) return false;
  const stamp = STAMP[update.status];
  // Even a status that cannot move the message (read after… read) may fill in a missing time.
  const fill: Record<string, unknown> = row[stamp] ? {} : { [stamp]: update.at };
  if (!statusMovesForward(String(row.status), update.status)) {
    if (update.status !== 'failed' && Object.keys(fill).length > 0) {
      await trx('outbound_messages').where({ id: row.id }).update(fill);
    }
    return false;
  }
  await trx('outbound_messages')
    .where({ id: row.id, status: row.status })
    .update({
      ...fill,
      status: update.status,
      ...(update.status === 'failed'
        ? { error: update.error ?? 'failed', error_code: 'DELIVERY_FAILED' }
        : {}),
    });
  return true;
}
