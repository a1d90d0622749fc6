/**
 * What every catalog service shares: its injected dependencies, input parsing that turns zod
 * issues into a VALIDATION_FAILED AppError, and the mapping of a database UNIQUE violation (a race
 * the pre-checks could not see) to ALREADY_EXISTS.
 */
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { z } from 'zod';
import type { Clock, IdGenerator } from '../../domain/clock';
import { AppError, ErrorCode } from '../../domain/errors';

/** n random bytes; injected so the demo can make the same codes on every machine. */
export type RandomSource = (n: number) => Uint8Array;

export const cryptoRandom: RandomSource = (n) => randomBytes(n);

export interface CatalogDeps {
  clock: Clock;
  ids: IdGenerator;
  random?: RandomSource;
}

export interface IssueSummary {
  path: string;
  message: string;
}

export const issuesOf = (error: z.ZodError): IssueSummary[] =>
  error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));

export function validationFailed(message: string, issues: IssueSummary[]): AppError {
  return new AppError(ErrorCode.VALIDATION_FAILED, message, { issues });
}

/** Parses with the schema or throws VALIDATION_FAILED carrying every issue (path + message). */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw validationFailed('The input is not valid.', issuesOf(result.error));
  return result.data;
}

export const notFound = (what: string, id: string): AppError =>
  new AppError(ErrorCode.NOT_FOUND, `${what} ${id} does not exist.`, { entity: what.toLowerCase(), id });

export const alreadyExists = (message: string, details?: Record<string, unknown>): AppError =>
  new AppError(ErrorCode.ALREADY_EXISTS, message, details);

/** SQLite (better-sqlite3) and PostgreSQL report a UNIQUE violation differently. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  if (!e) return false;
  if (
    e.code === '23505' ||
    e.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  )
    return true;
  return typeof e.message === 'string' && e.message.includes('UNIQUE constraint failed');
}

/**
 * Runs the work in one transaction (a savepoint when `db` is already a transaction) so a failure
 * leaves nothing behind; a UNIQUE violation becomes ALREADY_EXISTS.
 */
export async function inTransaction<T>(db: Knex, work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  try {
    return await db.transaction(work);
  } catch (error) {
    if (isUniqueViolation(error)) throw alreadyExists('Something with the same unique value already exists.');
    throw error;
  }
}

/** Times are stored as ISO-8601 UTC text so they sort and compare as strings on both databases. */
export const isoUtc = (value: string | Date): string => new Date(value).toISOString();

/** Splits rows so one INSERT stays well under SQLite's and PostgreSQL's bound-parameter limits. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export async function insertInChunks(
  trx: Knex.Transaction,
  table: string,
  rows: readonly object[],
  size = 300,
) {
  for (const chunk of chunks(rows, size)) await trx(table).insert(chunk);
}
