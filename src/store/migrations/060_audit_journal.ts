import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

/**
 * audit_journal: on SQLite, appended events land here first (linked and hashed, with their content),
 * in one small write per batch; they move into audit_events / audit_content and the Merkle tree
 * moments later (audit/sqlite-chain.ts). Created on PostgreSQL too, where it stays empty, so both
 * stores have one schema.
 */
export function m060AuditJournal({ dialect }: MigrationContext) {
  const big = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('audit_journal')
        .ifNotExists()
        .addColumn('id', big, (c) => c.primaryKey())
        .addColumn('time', 'text', (c) => c.notNull())
        .addColumn('tenant', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('record', 'text', (c) => c.notNull())
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .addColumn('input', 'text')
        .addColumn('output', 'text')
        .addColumn('expires_at', 'text')
        .execute();
    },
  };
}
