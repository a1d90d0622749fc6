/** Helpers shared by the mutation tests: build mutations, push them, pull everything in scope. */
import { uuidV7 } from '../../../domain/clock';
import {
  SyncEvent,
  type Change,
  type PullResponse,
  type PushResponse,
  type RedemptionRow,
} from '../../../protocol';
import type { FixtureClaim } from '../../testing/fixtures';
import { request, type DeviceClient } from '../testing';

export const push = (d: DeviceClient, mutations: unknown[]) =>
  request<PushResponse>(d.socket, SyncEvent.push, { mutations });

export const redeem = (claim: FixtureClaim, staffId: string, deviceTime: string, id = uuidV7()) => ({
  id,
  kind: 'redemption.create' as const,
  payload: { claimId: claim.id, couponId: claim.couponId, staffId, scannedCode: claim.code },
  deviceTime,
});

export const resolve = (
  redemptionId: string,
  staffId: string,
  decision: 'acknowledge' | 'void',
  note?: string,
) => ({
  id: uuidV7(),
  kind: 'conflict.resolve' as const,
  payload: { redemptionId, staffId, decision, ...(note ? { note } : {}) },
  deviceTime: '2026-03-01T09:00:00.000Z',
});

/** Pulls every page after `cursor`, like a console does after a poke. */
export async function pullAll(d: DeviceClient, cursor = 0): Promise<{ changes: Change[]; cursor: number }> {
  const changes: Change[] = [];
  for (;;) {
    const page = await request<PullResponse>(d.socket, SyncEvent.pull, { cursor, limit: 5000 });
    changes.push(...page.changes);
    cursor = page.cursor;
    if (!page.hasMore) return { changes, cursor };
  }
}

/** The latest replicated state of each redemption among the changes, by id. */
export function redemptionsIn(changes: Change[]): Map<string, RedemptionRow> {
  const rows = new Map<string, RedemptionRow>();
  for (const c of changes) if (c.entity === 'redemption' && c.op === 'upsert') rows.set(c.id, c.data);
  return rows;
}
