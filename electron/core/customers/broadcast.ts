/**
 * Broadcasting to my list: one channel per broadcast. Checked here against the brand's
 * channels and approved templates (so a mistake is answered at once, even offline), queued as a
 * `broadcast.send` mutation, sent by the hub. Its progress comes back as the replicated broadcast
 * row (sent / failed counts); until then the outbox entry says queued or refused.
 */
import type { Knex } from 'knex';
import type { Clock, IdGenerator } from '../../../backend-sync/domain/clock';
import { AppError } from '../../../backend-sync/domain/errors';
import { BroadcastRow } from '../../../backend-sync/protocol';
import type { BroadcastMessage, BroadcastView, SignedInStaff } from '../consoleApi/contract';
import { enqueue, readRecentOfKind, type OutboxEntry } from '../outbox/outbox';
import { writeTransaction } from '../store/transaction';
import type { BrandCustomerSettings } from './brand';

export const CHANNEL_NOT_CONFIGURED = 'CHANNEL_NOT_CONFIGURED';
export const TEMPLATE_NOT_APPROVED = 'TEMPLATE_NOT_APPROVED';

const RECENT = 20;

export async function sendBroadcast(
  deps: { db: Knex; clock: Clock; ids: IdGenerator },
  staff: SignedInStaff,
  message: BroadcastMessage,
  brand: BrandCustomerSettings,
): Promise<BroadcastView> {
  const channel = brand.channels?.[message.channel];
  if (!channel) {
    throw new AppError(CHANNEL_NOT_CONFIGURED, `The brand has no ${message.channel} channel.`, {
      channel: message.channel,
    });
  }
  let payload;
  if (message.channel === 'line') {
    payload = {
      staffId: staff.id,
      signInId: staff.signInId,
      channel: 'line' as const,
      text: message.text,
      template: null,
    };
  } else {
    const approved = brand.channels?.whatsapp?.templates ?? [];
    if (!approved.some((t) => t.name === message.templateName && t.language === message.language)) {
      throw new AppError(TEMPLATE_NOT_APPROVED, 'This template is not on the brand’s approved list.', {
        templateName: message.templateName,
      });
    }
    payload = {
      staffId: staff.id,
      signInId: staff.signInId,
      channel: 'whatsapp' as const,
      text: message.text ?? null,
      template: { name: message.templateName, language: message.language },
    };
  }
  const mutation = await writeTransaction(deps.db, (trx) => enqueue(trx, 'broadcast.send', payload, deps));
  return toView({ mutation, status: 'queued', outcome: null, createdAt: mutation.deviceTime }, null);
}

export async function recentBroadcasts(db: Knex, staff: SignedInStaff): Promise<BroadcastView[]> {
  const entries = await readRecentOfKind(db, 'broadcast.send', staff.id, RECENT);
  const ids = entries.map((e) => e.mutation.id);
  const rows = (await db('broadcasts').whereIn('id', ids).select('id', 'data')) as {
    id: string;
    data: string;
  }[];
  const progress = new Map(rows.map((r) => [r.id, BroadcastRow.parse(JSON.parse(r.data))]));
  return entries.map((entry) => toView(entry, progress.get(entry.mutation.id) ?? null));
}

function toView(
  entry: Pick<OutboxEntry, 'mutation' | 'status' | 'outcome'> & { createdAt: string },
  progress: BroadcastRow | null,
): BroadcastView {
  const payload = entry.mutation.payload as {
    channel: 'line' | 'whatsapp';
    text: string | null;
    template: { name: string } | null;
  };
  const summary = payload.channel === 'whatsapp' ? (payload.template?.name ?? '') : (payload.text ?? '');
  const base = {
    id: entry.mutation.id,
    channel: payload.channel,
    summary: summary.slice(0, 200),
    requestedAt: entry.createdAt,
  };
  if (entry.status === 'queued')
    return { ...base, state: 'queued', total: 0, sent: 0, failed: 0, code: null };
  if (entry.outcome && entry.outcome.status !== 'applied') {
    return { ...base, state: 'refused', total: 0, sent: 0, failed: 0, code: entry.outcome.code };
  }
  return {
    ...base,
    state: progress?.state === 'done' ? 'done' : 'sending',
    total: progress?.total ?? 0,
    sent: progress?.sent ?? 0,
    failed: progress?.failed ?? 0,
    code: null,
  };
}
