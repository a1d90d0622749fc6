import type { Knex } from 'knex';
import { z } from 'zod';
import { parseInput } from '../services/common';
import { isoDateTime } from '../../protocol';

export const AuditQuery = z.object({
  /** Rows older than this id (the previous page's nextCursor). */
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(50),
  action: z.string().trim().max(100).optional(),
  entity: z.string().trim().max(50).optional(),
  /** Part of the actor's email / token name. */
  actor: z.string().trim().max(200).optional(),
  from: isoDateTime.optional(),
  to: isoDateTime.optional(),
});

export const AuditRowView = z.object({
  id: z.number(),
  brandId: z.string().nullable(),
  actorKind: z.enum(['user', 'api_token', 'operator', 'system']),
  actorId: z.string().nullable(),
  actorLabel: z.string(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  at: isoDateTime,
});
export type AuditRowView = z.infer<typeof AuditRowView>;
export interface AuditPage {
  items: AuditRowView[];
  nextCursor: number | null;
}

const parse = (text: unknown): unknown => (typeof text === 'string' ? JSON.parse(text) : null);

const toView = (row: Record<string, unknown>): AuditRowView => ({
  id: Number(row.id),
  brandId: row.brand_id ? String(row.brand_id) : null,
  actorKind: row.actor_kind as AuditRowView['actorKind'],
  actorId: row.actor_id ? String(row.actor_id) : null,
  actorLabel: String(row.actor_label),
  action: String(row.action),
  entity: String(row.entity),
  entityId: row.entity_id ? String(row.entity_id) : null,
  before: parse(row.before),
  after: parse(row.after),
  at: String(row.at),
});

/** A brand's audit rows, newest first, filtered; `nextCursor` pages on. */
export async function listAudit(db: Knex, brandId: string, input: unknown): Promise<AuditPage> {
  const q = parseInput(AuditQuery, input);
  const query = db('audit_log').where({ brand_id: brandId });
  if (q.before) query.andWhere('id', '<', q.before);
  if (q.action) query.andWhere({ action: q.action });
  if (q.entity) query.andWhere({ entity: q.entity });
  if (q.actor) {
    // Part of the name or email, any case; % and _ match themselves (SQLite's LIKE has no escape
    // character unless told, PostgreSQL's is case-sensitive: both are told the same).
    const pattern = `%${q.actor.toLowerCase().replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    query.andWhereRaw("lower(actor_label) LIKE ? ESCAPE '\\'", [pattern]);
  }
  if (q.from) query.andWhere('at', '>=', new Date(q.from).toISOString());
  if (q.to) query.andWhere('at', '<', new Date(q.to).toISOString());
  const rows = await query.orderBy('id', 'desc').limit(q.limit + 1);
  const items = rows.slice(0, q.limit).map(toView);
  return { items, nextCursor: rows.length > q.limit ? items[items.length - 1]!.id : null };
}
