import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

export function m040Gateway({ dialect }: MigrationContext) {
  const id = dialect === 'postgres' ? 'bigserial' : 'integer';
  const real = dialect === 'postgres' ? 'double precision' : 'real';
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('usage_records')
        .ifNotExists()
        .addColumn('id', id, (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('time', 'text', (c) => c.notNull())
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('tenant', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('app', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('model', 'text', (c) => c.notNull())
        .addColumn('prompt_tokens', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('completion_tokens', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('total_tokens', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('cost_jpy', real, (c) => c.notNull().defaultTo(0))
        .addColumn('energy_wh', real, (c) => c.notNull().defaultTo(0))
        .addColumn('latency_ms', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('audit_id', 'bigint')
        .execute();
      await db.schema.createIndex('usage_records_tenant_day').ifNotExists().on('usage_records').columns(['tenant', 'day']).execute();
      await db.schema
        .createTable('gateway_jobs')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('done', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('total', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('report', 'text')
        .addColumn('error', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('gateway_jobs').ifExists().execute();
      await db.schema.dropTable('usage_records').ifExists().execute();
    },
  };
}
