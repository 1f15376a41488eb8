export { createAuditLog, type AuditLog, type AuditConfig } from './log.js';
export type { AuditEventInput, AuditEventRecord, AuditSink, AuditAction } from './types.js';
export type { AuditQuery, AuditFilter } from './query.js';
export type { VerifyReport } from './verify-store.js';
export { verifyExport, type ExportReport } from './verify-export.js';
export { verifyInclusion, verifyConsistency, leafHash } from './merkle.js';
export { loadSigningKey, readVerifyKey, verifyKeyFromPem } from './keys.js';
