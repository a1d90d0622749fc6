import type { Knex } from 'knex';
import { redact } from './redact';

/** Who did it: a back-office person, a brand's API token, the hub operator, or the hub itself. */
export interface AuditActor {
  kind: 'user' | 'api_token' | 'operator' | 'system';
  id: string | null;
  /** Email, token name, 'operator' or the subsystem's name: readable after the account is gone. */
  label: string;
}

export interface AuditEntry {
  /** Null only for hub-wide actions (a brand created with the operator token). */
  brandId: string | null;
  actor: AuditActor;
  /** What was done, e.g. the admin API's operationId (`createStaff`) or `signIn`. */
  action: string;
  /** The kind of thing it was done to (`staff`, `device`, `account`…). */
  entity: string;
  entityId: string | null;
  /** The thing before and after (JSON-able; null for a creation / deletion). */
  before?: unknown;
  after?: unknown;
  at: Date;
}

const json = (value: unknown): string | null =>
  value === undefined || value === null ? null : JSON.stringify(redact(value));

/** Writes one audit row. Pass the transaction that makes the change, so both commit or neither. */
export async function recordAudit(db: Knex, entry: AuditEntry): Promise<void> {
  await db('audit_log').insert({
    brand_id: entry.brandId,
    actor_kind: entry.actor.kind,
    actor_id: entry.actor.id,
    actor_label: entry.actor.label.slice(0, 200),
    action: entry.action.slice(0, 100),
    entity: entry.entity.slice(0, 50),
    entity_id: entry.entityId,
    before: json(entry.before),
    after: json(entry.after),
    at: entry.at.toISOString(),
  });
}
