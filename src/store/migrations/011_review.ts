import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

export function m011Review({ dialect }: MigrationContext) {
  return {
    async up(db: Kysely<any>): Promise<void> {
      const big = dialect === 'postgres' ? 'bigint' : 'integer';
      await db.schema
        .createTable('review_items')
        .ifNotExists()
        .addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('tenant', 'text', (c) => c.notNull())
        .addColumn('requester', 'text', (c) => c.notNull())
        .addColumn('app', 'text')
        .addColumn('model', 'text')
        .addColumn('reasons', 'text', (c) => c.notNull())
        .addColumn('input', 'text')
        .addColumn('output', 'text', (c) => c.notNull())
        .addColumn('detail', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('audit_id', big)
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('decided_at', 'text')
        .addColumn('decided_by', 'text')
        .addColumn('decision_reason', 'text')
        .addColumn('edited_output', 'text')
        .addColumn('decision_audit_id', big)
        .execute();
      await db.schema.createIndex('review_items_tenant_status').ifNotExists().on('review_items').columns(['tenant', 'status', 'id']).execute();
    },
  };
}
