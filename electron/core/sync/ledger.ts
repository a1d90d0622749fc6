/**
 * The sync ledger: every change this device made that the hub has not taken — still queued,
 * rejected, or lost a conflict — with what it is, when it was made, the hub's reason code and a
 * subject a person recognises (the code scanned, the number added), newest first. Queued entries
 * are read along the outbox cursor and the others from their partial index (outbox/outbox.ts), so
 * the list costs the same on a till with a million answered entries.
 */
import type { Knex } from 'knex';
import type { Mutation, MutationOutcome } from '../../../backend-sync/protocol';
import type { SyncLedger, SyncLedgerEntry } from '../consoleApi/contract';
import { IS_QUEUED } from '../outbox/outbox';

/** The ledger shows this many of each kind of entry at most (newest first). */
export const LEDGER_LIMIT = 200;

interface LedgerDbRow {
  id: string;
  kind: Mutation['kind'];
  payload: string;
  device_time: string;
  status: 'queued' | 'rejected' | 'conflict';
  outcome: string | null;
  answered_at: string | null;
}

/** What the entry is about, in the words a cashier would use to find it. */
function subjectOf(kind: Mutation['kind'], payload: Record<string, unknown>): string | null {
  switch (kind) {
    case 'redemption.create':
    case 'verification.failure':
      return typeof payload.scannedCode === 'string' ? payload.scannedCode : null;
    case 'customer.add':
      return typeof payload.phone === 'string' ? payload.phone : null;
    case 'broadcast.send':
      return typeof payload.channel === 'string' ? payload.channel : null;
    default:
      return null;
  }
}

const toEntry = (r: LedgerDbRow): SyncLedgerEntry => {
  const outcome = r.outcome ? (JSON.parse(r.outcome) as MutationOutcome) : null;
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    subject: subjectOf(r.kind, JSON.parse(r.payload) as Record<string, unknown>),
    madeAt: r.device_time,
    answeredAt: r.answered_at,
    reasonCode: outcome && outcome.status !== 'applied' ? outcome.code : null,
  };
};

const COLUMNS = ['id', 'kind', 'payload', 'device_time', 'status', 'outcome', 'answered_at'] as const;

export async function syncLedger(db: Knex): Promise<SyncLedger> {
  const [queued, problems] = await Promise.all([
    db('outbox').whereRaw(IS_QUEUED).orderBy('seq', 'desc').limit(LEDGER_LIMIT).select(COLUMNS),
    db('outbox')
      .whereRaw(`status IN ('rejected', 'conflict')`)
      .orderBy('seq', 'desc')
      .limit(LEDGER_LIMIT)
      .select(COLUMNS),
  ]);
  return {
    queued: (queued as LedgerDbRow[]).map(toEntry),
    problems: (problems as LedgerDbRow[]).map(toEntry),
  };
}

/** When the oldest change still waiting was made (null when nothing waits). */
export async function oldestQueuedAt(db: Knex): Promise<string | null> {
  const row = (await db('outbox').whereRaw(IS_QUEUED).orderBy('seq').first('created_at')) as
    { created_at: string } | undefined;
  return row?.created_at ?? null;
}
