import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

export function m050Eval({ dialect }: MigrationContext) {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('eval_results')
        .ifNotExists()
        .addColumn('suite_sha256', 'text', (c) => c.notNull())
        .addColumn('model', 'text', (c) => c.notNull())
        .addColumn('item_id', 'text', (c) => c.notNull())
        .addColumn('result', 'text', (c) => c.notNull())
        .addColumn('worker', 'text', (c) => c.notNull())
        .addColumn('failed', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('eval_results_pk', ['suite_sha256', 'model', 'item_id'])
        .execute();
      await db.schema
        .createTable('eval_runs')
        .ifNotExists()
        .addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('suite_path', 'text', (c) => c.notNull())
        .addColumn('suite_sha256', 'text', (c) => c.notNull())
        .addColumn('file_sha256', 'text', (c) => c.notNull())
        .addColumn('sealed', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('models', 'text', (c) => c.notNull())
        .addColumn('items', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('finished_at', 'text')
        .addColumn('results', 'text')
        .addColumn('report_html', 'text')
        .execute();
    },
  };
}
