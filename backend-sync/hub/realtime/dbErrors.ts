/** Recognises a UNIQUE/PRIMARY KEY violation on both SQLite (better-sqlite3) and PostgreSQL (pg). */
export function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const code = (err as { code?: unknown }).code;
  if (code === '23505') return true; // PostgreSQL unique_violation
  return code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
