import { writeCsv, type CsvColumn } from '../../domain/csv';
import type { AuditRowView } from './list';

const json = (v: unknown) => (v === null || v === undefined ? '' : JSON.stringify(v));

const COLUMNS: readonly CsvColumn<AuditRowView>[] = [
  { header: 'id', value: (r) => String(r.id) },
  { header: 'at', value: (r) => r.at },
  { header: 'actorKind', value: (r) => r.actorKind },
  { header: 'actorLabel', value: (r) => r.actorLabel },
  { header: 'action', value: (r) => r.action },
  { header: 'entity', value: (r) => r.entity },
  { header: 'entityId', kind: 'identifier', value: (r) => (r.entityId === null ? '' : String(r.entityId)) },
  { header: 'before', value: (r) => json(r.before) },
  { header: 'after', value: (r) => json(r.after) },
];

/** The audit log for Excel through the one CSV writer: BOM, formulas defused, ids kept as text. */
export function auditCsv(rows: readonly AuditRowView[]): string {
  return writeCsv(COLUMNS, rows);
}
