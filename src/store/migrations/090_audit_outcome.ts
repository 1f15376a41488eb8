import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './index.js';
import { auditFieldSql } from './080_audit_lookup.js';

/**
 * The outcomes most events have: a call allowed or masked, a job done, a plain `ok`. An auditor looks for the
 * others — blocked, held for review, failed, cancelled, a reviewer's decision —, which are rare, so scanning
 * the trail for them reads almost every event (about 1.3 s per million on SQLite).
 */
export const ROUTINE_OUTCOMES = ['allow', 'mask', 'ok', 'done'] as const;

/** The SQL predicate of the partial index: an event with an outcome that is not routine. */
export function exceptionalOutcomeSql(dialect: 'sqlite' | 'postgres') {
  return sql<boolean>`${auditFieldSql(dialect, 'outcome')} NOT IN (${sql.join(ROUTINE_OUTCOMES.map((o) => sql.lit(o)))})`;
}

/**
 * Audit events by outcome, for the rare outcomes only: a partial index, so the routine events (nearly all)
 * cost no index write, and a filter on a routine outcome finds a page at once by reading the newest events.
 * A query uses it when it repeats the index's predicate (src/audit/query.ts does).
 */
export function m090AuditOutcome({ dialect }: MigrationContext) {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await sql`CREATE INDEX IF NOT EXISTS audit_events_outcome ON audit_events (${auditFieldSql(dialect, 'outcome')}, id) WHERE ${exceptionalOutcomeSql(dialect)}`.execute(db);
    },
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropIndex('audit_events_outcome').ifExists().execute();
    },
  };
}
