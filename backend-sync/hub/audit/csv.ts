import { stringify } from 'csv-stringify/sync';
import type { AuditRowView } from './list';

const COLUMNS = [
  'id',
  'at',
  'actorKind',
  'actorLabel',
  'action',
  'entity',
  'entityId',
  'before',
  'after',
] as const;

/** CSV with a BOM so Excel opens the Chinese text as UTF-8; before/after as JSON text. */
export function auditCsv(rows: readonly AuditRowView[]): string {
  const records = rows.map((r) =>
    COLUMNS.map((c) => {
      const v = r[c];
      if (c === 'before' || c === 'after') return v === null ? '' : JSON.stringify(v);
      return v === null ? '' : String(v);
    }),
  );
  return '\ufeff' + stringify([COLUMNS as unknown as string[], ...records]);
}
