import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

/** Fields of an audit event's hashed record that queries filter on, by their JSON path. */
const FIELDS = {
  /** Which API key or sign-in made the call (`actor.credential`). */
  credential: ['actor', 'credential'],
  outcome: ['outcome'],
  model: ['model', 'id'],
} as const satisfies Record<string, readonly string[]>;
export type AuditRecordField = keyof typeof FIELDS;

/**
 * A field of an audit event's record, in SQL. The fields live in the hashed record, so they are read from
 * there rather than copied into columns the chain does not cover. The paths are constants written into the
 * SQL, never parameters: an expression index (the credential's, below) serves only the same expression.
 */
export function auditFieldSql(dialect: 'sqlite' | 'postgres', field: AuditRecordField) {
  const path = FIELDS[field];
  if (dialect === 'sqlite') return sql<string | null>`json_extract(record, ${sql.lit(`$.${path.join('.')}`)})`;
  const parents = path.slice(0, -1).map((k) => sql` -> ${sql.lit(k)}`);
  return sql<string | null>`((record::jsonb${sql.join(parents, sql``)}) ->> ${sql.lit(path[path.length - 1]!)})`;
}

/**
 * Lookups an auditor makes: one user's events (`user_id`), one credential's events and when a key was last
 * used (the credential expression), newest first.
 */
export function m080AuditLookup({ dialect }: MigrationContext) {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.createIndex('audit_events_user').ifNotExists().on('audit_events').columns(['user_id', 'id']).execute();
      await sql`CREATE INDEX IF NOT EXISTS audit_events_credential ON audit_events (${auditFieldSql(dialect, 'credential')}, id)`.execute(db);
    },
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropIndex('audit_events_credential').ifExists().execute();
      await db.schema.dropIndex('audit_events_user').ifExists().execute();
    },
  };
}
