/**
 * The sign-ins consoles reported before the hub recorded them (migration 045): every applied
 * `staff.signin` mutation becomes a `sign_ins` row, so what an upgraded console still has queued
 * under such a sign-in (its `signInId`, console migration 016) is attributed to that person
 * instead of refused. `unverified`: nothing proved the PIN to this hub for them.
 */
import type { Knex } from 'knex';

const BATCH = 500;

export async function up(knex: Knex): Promise<void> {
  let after = '';
  for (;;) {
    const rows = (await knex('mutations')
      .select('id', 'device_id', 'payload', 'outcome', 'received_at')
      .where({ kind: 'staff.signin' })
      .andWhere('id', '>', after)
      .orderBy('id')
      .limit(BATCH)) as {
      id: string;
      device_id: string;
      payload: string;
      outcome: string;
      received_at: string;
    }[];
    if (rows.length === 0) return;
    after = rows.at(-1)!.id;
    const candidates = rows.flatMap((row) => {
      const payload = JSON.parse(row.payload) as { staffId?: unknown; signedInAt?: unknown };
      const outcome = JSON.parse(row.outcome) as { status?: unknown };
      if (outcome.status !== 'applied' || typeof payload.staffId !== 'string') return [];
      return [
        {
          id: row.id,
          device_id: row.device_id,
          staff_id: payload.staffId,
          proof: 'unverified',
          signed_in_at: typeof payload.signedInAt === 'string' ? payload.signedInAt : null,
          recorded_at: row.received_at,
        },
      ];
    });
    if (candidates.length === 0) continue;
    const staff = new Set(
      (
        (await knex('staff').whereIn(
          'id',
          candidates.map((c) => c.staff_id),
        )) as { id: string }[]
      ).map((s) => s.id),
    );
    const known = new Set(
      (
        (await knex('sign_ins').whereIn(
          'id',
          candidates.map((c) => c.id),
        )) as { id: string }[]
      ).map((s) => s.id),
    );
    const fresh = candidates.filter((c) => staff.has(c.staff_id) && !known.has(c.id));
    if (fresh.length) await knex('sign_ins').insert(fresh);
  }
}

export async function down(): Promise<void> {
  // The rows are true sign-ins; 045's down drops the table.
}
