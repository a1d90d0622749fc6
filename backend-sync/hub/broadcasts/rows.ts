/** Broadcast rows and their replication to the associate's own list ('staff:<id>'). */
import type { Knex } from 'knex';
import type { BroadcastRow } from '../../protocol';
import { recordChange, staffScope } from '../db/changes';

type Row = Record<string, unknown>;

export const toBroadcastRow = (r: Row): BroadcastRow => ({
  id: String(r.id),
  brandId: String(r.brand_id),
  staffId: String(r.staff_id),
  channel: String(r.channel) as BroadcastRow['channel'],
  summary: summaryOf(r),
  state: r.state === 'done' ? 'done' : 'sending',
  total: Number(r.total),
  sent: Number(r.sent),
  failed: Number(r.failed),
  requestedAt: String(r.requested_at),
  updatedAt: String(r.updated_at),
});

function summaryOf(r: Row): string {
  if (r.channel === 'whatsapp' && r.template) {
    const template = JSON.parse(String(r.template)) as { name: string };
    return template.name;
  }
  return String(r.text ?? '').slice(0, 200);
}

export async function recordBroadcast(trx: Knex | Knex.Transaction, row: Row, at: Date): Promise<void> {
  await recordChange(trx, {
    brandId: String(row.brand_id),
    scopes: [staffScope(String(row.staff_id))],
    entity: 'broadcast',
    id: String(row.id),
    op: 'upsert',
    data: toBroadcastRow(row),
    at,
  });
}
