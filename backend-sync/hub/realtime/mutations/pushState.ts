/**
 * What one push shares across its mutations, so a batch of 200 costs little more than its
 * inserts: lookups read once per push (staff, coupons, claims), and the audit events and change-log
 * rows of the whole push written at its end in a few multi-row inserts.
 *
 * Each mutation runs in its own savepoint inside the push's one transaction. Whatever a mutation
 * records here is STAGED until its savepoint is released (`keepMutation`), and thrown away when the
 * savepoint is rolled back (`dropMutation`), so the buffered rows and cached claim states always
 * agree with what the database will commit.
 */
import type { Knex } from 'knex';
import type { ChangeInput } from '../../db/changes';

type Row = Record<string, unknown>;

/** Rows per multi-row insert: well under SQLite's 32,766 and PostgreSQL's 65,535 bind parameters. */
const ROWS_PER_INSERT = 500;

export interface EventInput {
  kind: string;
  staffId: string | null;
  data: Record<string, unknown>;
}

export class PushState {
  private readonly lookups = new Map<string, unknown>();
  private staged = new Map<string, unknown>();
  private readonly events: Row[] = [];
  private readonly changes: Row[] = [];
  private stagedEvents: Row[] = [];
  private stagedChanges: Row[] = [];

  constructor(
    private readonly brandId: string,
    private readonly deviceId: string,
  ) {}

  /**
   * A read-only lookup (a row no mutation of a push changes: staff, coupons), loaded once per
   * push. `undefined` from the loader (no such row) is remembered too.
   */
  async lookup<T>(key: string, load: () => Promise<T | undefined>): Promise<T | undefined> {
    if (this.lookups.has(key)) return this.lookups.get(key) as T | undefined;
    const value = await load();
    this.lookups.set(key, value);
    return value;
  }

  /** Known state of something mutations change (a claim), the current mutation's staged one first. */
  known<T>(key: string): { value: T | undefined } | undefined {
    if (this.staged.has(key)) return { value: this.staged.get(key) as T | undefined };
    if (this.lookups.has(key)) return { value: this.lookups.get(key) as T | undefined };
    return undefined;
  }

  /** Loaded before any mutation runs (committed state under the push's locks). */
  preload(key: string, value: unknown): void {
    this.lookups.set(key, value);
  }

  /** The current mutation's new state of `key`; kept only if its savepoint is released. */
  stage(key: string, value: unknown): void {
    this.staged.set(key, value);
  }

  recordEvent(event: EventInput, at: Date): void {
    this.stagedEvents.push({
      brand_id: this.brandId,
      kind: event.kind,
      device_id: this.deviceId,
      staff_id: event.staffId,
      data: JSON.stringify(event.data),
      at: at.toISOString(),
    });
  }

  /** Same rows as db/changes.ts recordChange, written at the end of the push, in this order. */
  recordChange(change: ChangeInput): void {
    for (const scope of new Set(change.scopes)) {
      this.stagedChanges.push({
        brand_id: change.brandId,
        scope,
        entity: change.entity,
        entity_id: change.id,
        op: change.op,
        data: change.op === 'upsert' ? JSON.stringify(change.data) : null,
        created_at: change.at.toISOString(),
      });
    }
  }

  keepMutation(): void {
    for (const [key, value] of this.staged) this.lookups.set(key, value);
    this.events.push(...this.stagedEvents);
    this.changes.push(...this.stagedChanges);
    this.dropMutation();
  }

  dropMutation(): void {
    this.staged = new Map();
    this.stagedEvents = [];
    this.stagedChanges = [];
  }

  /** True when some kept mutation recorded changes. */
  get hasChanges(): boolean {
    return this.changes.length > 0;
  }

  /** Writes the push's events and changes (in recording order, so seqs follow it). */
  async flush(trx: Knex.Transaction): Promise<void> {
    for (const [table, rows] of [
      ['events', this.events],
      ['changes', this.changes],
    ] as const) {
      for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
        await trx(table).insert(rows.slice(i, i + ROWS_PER_INSERT));
      }
    }
  }
}
