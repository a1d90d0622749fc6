/**
 * WhatsApp delivery statuses (sent → delivered → read, or failed) arrive out of order and more
 * than once. A message's status only moves forward, and failed is final. A status names the
 * message by its wamid and by our own id (biz_opaque_callback_data, see channels/outbound.ts):
 * the second finds a message whose send was cut off before the wamid was recorded, and settles
 * it ('sending' or 'unknown' → what the platform says) so it is never sent again.
 */
import type { Knex } from 'knex';

const RANK: Record<string, number> = { queued: 0, sending: 0, unknown: 0, sent: 1, delivered: 2, read: 3 };

export type DeliveryStatus = 'sent' | 'delivered' | 'read' | 'failed';

/** Whether a message at `current` may move to `next`. */
export function statusMovesForward(current: string, next: DeliveryStatus): boolean {
  if (current === 'failed') return false;
  if (next === 'failed') return (RANK[current] ?? 99) <= RANK.sent!;
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
  update: {
    platformMessageId: string;
    /** Our outbound id, when the status carried it back. */
    outboundId?: string | undefined;
    status: DeliveryStatus;
    at: string;
    error?: string | null;
  },
): Promise<boolean> {
  let row = (await trx('outbound_messages')
    .where({ platform_message_id: update.platformMessageId })
    .first()) as Record<string, unknown> | undefined;
  if (!row && update.outboundId) {
    row = (await trx('outbound_messages').where({ id: update.outboundId }).first()) as
      Record<string, unknown> | undefined;
  }
  if (!row) return false;
  const stamp = STAMP[update.status];
  // Even a status that cannot move the message (read after… read) may fill in a missing time.
  const fill: Record<string, unknown> = row[stamp] ? {} : { [stamp]: update.at };
  if (!row.platform_message_id) fill.platform_message_id = update.platformMessageId;
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
      next_attempt_at: null,
      ...(update.status !== 'failed' && (row.status === 'unknown' || row.status === 'sending')
        ? { error: null, error_code: null }
        : {}),
      ...(update.status === 'failed'
        ? { error: update.error ?? 'failed', error_code: 'DELIVERY_FAILED' }
        : {}),
    });
  return true;
}
