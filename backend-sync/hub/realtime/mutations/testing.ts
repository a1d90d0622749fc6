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
import { request, testSignInId, type DeviceClient } from '../testing';

/**
 * Pushes as the device's console would, each mutation under the sign-in of the staff member its
 * payload names (testSignInId) unless it names a sign-in itself.
 */
export const push = (d: DeviceClient, mutations: unknown[]) =>
  request<PushResponse>(d.socket, SyncEvent.push, { mutations: mutations.map((m) => underSignIn(d, m)) });

export function underSignIn(d: Pick<DeviceClient, 'deviceId'>, mutation: unknown): unknown {
  const m = mutation as { kind?: unknown; payload?: { staffId?: unknown; signInId?: unknown } };
  if (m.kind === 'staff.signin' || typeof m.payload?.staffId !== 'string' || 'signInId' in m.payload)
    return mutation;
  return { ...m, payload: { ...m.payload, signInId: testSignInId(d.deviceId, m.payload.staffId) } };
}

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
