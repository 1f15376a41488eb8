import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

/**
 * The month (Japan time, `YYYY-MM`) of a usage record's ISO time, in SQL; the same as core/jst.ts's
 * jstMonth, computed from UTC plus nine hours (no time-zone database needed).
 */
export function jstMonthSql(dialect: 'sqlite' | 'postgres', column = 'time') {
  return dialect === 'postgres'
    ? sql`to_char((${sql.ref(column)}::timestamptz AT TIME ZONE 'UTC') + interval '9 hours', 'YYYY-MM')`
    : sql`strftime('%Y-%m', ${sql.ref(column)}, '+9 hours')`;
}

/** Fill usage_monthly from the usage records already written (rows of months it has are left alone). */
export async function backfillUsageMonthly(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  const month = jstMonthSql(dialect);
  await sql`
    INSERT INTO usage_monthly (tenant, month, calls, tokens, cost_jpy)
    SELECT tenant, ${month}, count(*), sum(total_tokens), sum(cost_jpy) FROM usage_records GROUP BY tenant, ${month}
    ON CONFLICT (tenant, month) DO NOTHING`.execute(db);
}

/**
 * Each tenant's calls, tokens and cost per month, kept up to date by the usage writers in the same
 * transaction as the records: budgets read one row instead of summing a month of records.
 */
export function m070UsageMonthly({ dialect }: MigrationContext) {
  const real = dialect === 'postgres' ? 'double precision' : 'real';
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('usage_monthly')
        .ifNotExists()
        .addColumn('tenant', 'text', (c) => c.notNull())
        .addColumn('month', 'text', (c) => c.notNull())
        .addColumn('calls', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('tokens', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('cost_jpy', real, (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('usage_monthly_pk', ['tenant', 'month'])
        .execute();
      await backfillUsageMonthly(db, dialect);
    },
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('usage_monthly').ifExists().execute();
    },
  };
}
