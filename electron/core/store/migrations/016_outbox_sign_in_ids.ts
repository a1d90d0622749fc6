/**
 * Since the hub takes the person of a mutation from the sign-in it names (payload `signInId`, the
 * id of that sign-in's `staff.signin` entry), a mutation queued by an older console, which named
 * only `staffId`, would be refused after the upgrade: redemptions made at the counter, lost. This
 * names, for every queued entry without one, the latest earlier `staff.signin` entry of the same
 * person — the sign-in it was made under, since the till acts only for the signed-in member.
 * An entry with no such sign-in is left as it is (the hub will say so, and the till lists it).
 */
import type { Knex } from 'knex';

interface Entry {
  seq: number;
  id: string;
  kind: string;
  status: string;
  payload: string;
}

export async function up(knex: Knex): Promise<void> {
  const entries = (await knex('outbox')
    .select('seq', 'id', 'kind', 'status', 'payload')
    .orderBy('seq')) as Entry[];
  const latestSignIn = new Map<string, string>();
  for (const entry of entries) {
    const payload = JSON.parse(entry.payload) as Record<string, unknown>;
    const staffId = typeof payload.staffId === 'string' ? payload.staffId : null;
    if (!staffId) continue;
    if (entry.kind === 'staff.signin') {
      latestSignIn.set(staffId, entry.id);
      continue;
    }
    if (entry.status !== 'queued' || typeof payload.signInId === 'string') continue;
    const signInId = latestSignIn.get(staffId);
    if (!signInId) continue;
    await knex('outbox')
      .where({ seq: entry.seq })
      .update({ payload: JSON.stringify({ ...payload, signInId }) });
  }
}

export async function down(): Promise<void> {
  // The names added are true of the entries; an older console ignores them.
}
