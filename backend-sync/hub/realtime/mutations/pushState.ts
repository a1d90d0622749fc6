/**
 * What one push shares across its mutations, so a batch of 200 costs little more than its
 * `mutations` rows: lookups read once per push (staff, coupons, claims), and the writes whose
 * outcome is already decided — new redemptions, claims taken, audit events, change-log rows —
 * written in a few multi-row statements (`flush`), before the push commits.
 *
 * Each mutation runs in its own savepoint inside the push's one transaction. Whatever a mutation
 * records here is STAGED until its savepoint is released (`keepMutation`), and thrown away when the
 * savepoint is rolled back (`dropMutation`), so the buffered rows and cached claim states always
 * agree with what the database will commit. A mutation that must read rows back from the database
 * calls `requireWritten()` first (see PendingWrites).
 */
import type { Knex } from 'knex';
import type { ChangeInput } from '../../db/changes';

type Row = Record<string, unknown>;

/** Rows per multi-row insert: well under SQLite's 32,766 and PostgreSQL's 65,535 bind parameters. */
const ROWS_PER_INSERT = 500;

/**
 * Thrown by a mutation (before it writes anything) that needs to read rows earlier mutations of
 * the push have only buffered: the push rolls its savepoint back, flushes, and runs it again.
 */
export class PendingWrites extends Error {
  constructor() {
    super('earlier mutations of this push have rows not yet written');
  }
}

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
  /** Scopes of the changes kept mutations buffered (whom to poke after the commit). */
  readonly scopes = new Set<string>();
  private stagedEvents: Row[] = [];
  private stagedChanges: Row[] = [];
  private readonly redemptions: Row[] = [];
  /** `mutations` rows (id and answer) of mutations applied without a savepoint (SQLite). */
  private readonly answers: Row[] = [];
  private stagedRedemptions: Row[] = [];
  /** Claims rows whose new state is still to be written, by key. */
  private readonly dirtyClaims = new Map<string, Row>();
  private stagedClaims = new Map<string, Row>();

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

  /** A new redemption row, inserted with the push's others. */
  insertRedemption(row: Row): void {
    this.stagedRedemptions.push(row);
  }

  /** A claim's new claims row, written at the end of the push (the latest one per claim). */
  claimChanged(key: string, row: Row): void {
    this.stagedClaims.set(key, row);
  }

  /** A kept mutation's `mutations` row, written with the rest (SQLite only: see push.ts applyBuffered). */
  storeAnswer(row: Row): void {
    this.answers.push(row);
  }

  /** See PendingWrites. */
  requireWritten(): void {
    if (this.redemptions.length > 0 || this.dirtyClaims.size > 0) throw new PendingWrites();
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
    for (const change of this.stagedChanges) this.scopes.add(String(change.scope));
    this.events.push(...this.stagedEvents);
    this.changes.push(...this.stagedChanges);
    this.redemptions.push(...this.stagedRedemptions);
    for (const [key, row] of this.stagedClaims) this.dirtyClaims.set(key, row);
    this.dropMutation();
  }

  dropMutation(): void {
    this.staged = new Map();
    this.stagedEvents = [];
    this.stagedChanges = [];
    this.stagedRedemptions = [];
    this.stagedClaims = new Map();
  }

  /** True when some kept mutation recorded changes. */
  get hasChanges(): boolean {
    return this.changes.length > 0;
  }

  /**
   * Writes what kept mutations buffered: redemptions, then claims, then events, answers and changes
   * (in recording order, so change seqs follow the order of the push). Run outside any savepoint.
   */
  async flush(trx: Knex.Transaction): Promise<void> {
    await insertAll(trx, 'redemptions', this.redemptions.splice(0));
    const claims = [...this.dirtyClaims.values()];
    this.dirtyClaims.clear();
    for (let i = 0; i < claims.length; i += CLAIMS_PER_UPDATE) {
      await updateClaims(trx, claims.slice(i, i + CLAIMS_PER_UPDATE));
    }
    await insertAll(trx, 'events', this.events.splice(0));
    await insertAll(trx, 'mutations', this.answers.splice(0));
    await insertAll(trx, 'changes', this.changes.splice(0));
  }
}

async function insertAll(trx: Knex.Transaction, table: string, rows: Row[]): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    await trx(table).insert(rows.slice(i, i + ROWS_PER_INSERT));
  }
}

/** The columns a redemption changes on its claim. */
const CLAIM_COLUMNS = [
  'redeemed_at',
  'redeemed_branch_id',
  'redeemed_device_id',
  'redeemed_staff_id',
  'redeemed_staff_name',
  'redemption_id',
] as const;
const CLAIMS_PER_UPDATE = 200;

/**
 * One UPDATE for many claims, from a VALUES list joined on the id: plain SQL both databases run
 * (each names a VALUES list's columns column1, column2, …). Not `SET col = CASE id WHEN … END`:
 * SQLite took 20 ms to prepare that for 200 claims, more than the rest of the push together.
 */
async function updateClaims(trx: Knex.Transaction, claims: Row[]): Promise<void> {
  if (claims.length === 0) return;
  const tuple = `(${['id', ...CLAIM_COLUMNS].map(() => '?').join(', ')})`;
  const set = CLAIM_COLUMNS.map((column, i) => `${column} = v.column${i + 2}`).join(', ');
  const text = (value: unknown) => (value === null || value === undefined ? null : String(value));
  await trx.raw(
    `UPDATE claims SET ${set} FROM (VALUES ${claims.map(() => tuple).join(', ')}) AS v WHERE claims.id = v.column1`,
    claims.flatMap((claim) => [String(claim.id), ...CLAIM_COLUMNS.map((column) => text(claim[column]))]),
  );
}
