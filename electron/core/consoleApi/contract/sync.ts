/**
 * The sync status the banner and the till read: the connection to the hub, how long the device
 * has been offline and what that means for redeeming, and the outbox, conflict and rejection
 * counts. Pushed as an event whenever it changes, so the renderer never polls.
 */
import { z } from 'zod';
import { isoDateTime } from './base';

export const SyncStatus = z.object({
  connection: z.enum(['not_enrolled', 'connecting', 'online', 'offline']),
  offlineSince: isoDateTime.nullable(),
  /** While offline: from when redeeming is refused (offlineSince + the brand's offline limit). */
  offlineRedeemUntil: isoDateTime.nullable(),
  lastSyncAt: isoDateTime.nullable(),
  /** Mutations waiting in the outbox. */
  queued: z.number().int().nonnegative(),
  /** Of those, redemptions (the offline banner's count: a queued sign-in is not a sale). */
  queuedRedemptions: z.number().int().nonnegative(),
  /** Open redemption conflicts of this branch (the "needs attention" count). */
  conflicts: z.number().int().nonnegative(),
  /** Mutations the hub rejected (shown, never retried). */
  rejected: z.number().int().nonnegative(),
  /** Present while the first sync after enrollment runs. */
  firstSync: z
    .object({
      received: z.number().int().nonnegative(),
      /** received + what the hub says remains (0 until its first page answers). */
      total: z.number().int().nonnegative(),
      /** Pages stored so far. */
      pages: z.number().int().nonnegative(),
      /** When the first sync started (the screen estimates the time left from the pace). */
      startedAt: isoDateTime,
    })
    .nullable(),
  /** Last refusal from the hub (e.g. revoked device), as an error code. */
  lastErrorCode: z.string().nullable(),
  /** When the oldest change still waiting to go to the hub was made (null: nothing waits). */
  oldestQueuedAt: isoDateTime.nullable(),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

/** One change of this device the hub has not taken (yet): the sync ledger's line. */
export const SyncLedgerEntry = z.object({
  id: z.string(),
  kind: z.enum([
    'redemption.create',
    'verification.failure',
    'conflict.resolve',
    'staff.signin',
    'customer.add',
    'broadcast.send',
  ]),
  status: z.enum(['queued', 'rejected', 'conflict']),
  /** What it is about: the code scanned, the number added, the channel broadcast on. */
  subject: z.string().nullable(),
  madeAt: isoDateTime,
  answeredAt: isoDateTime.nullable(),
  /** The hub's reason (an error code) for a rejection or a lost conflict. */
  reasonCode: z.string().nullable(),
});
export type SyncLedgerEntry = z.infer<typeof SyncLedgerEntry>;

export const SyncLedger = z.object({
  /** Waiting to go to the hub, newest first. */
  queued: z.array(SyncLedgerEntry),
  /** Rejected by the hub or lost a conflict, newest first. */
  problems: z.array(SyncLedgerEntry),
});
export type SyncLedger = z.infer<typeof SyncLedger>;
