/**
 * The audit log's one door: `recordAudit` writes a row (inside the caller's transaction, so the
 * row and the change it describes commit together), `listAudit` reads a brand's rows newest first
 * with filters, `auditCsv` turns rows into a CSV download. Secret-looking fields are redacted
 * before they are stored, whoever calls.
 */
export { recordAudit, type AuditActor, type AuditEntry } from './record';
export { AuditQuery, AuditRowView, listAudit, type AuditPage } from './list';
export { auditCsv } from './csv';
