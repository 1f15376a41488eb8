import type BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import type { Store } from '../store/open.js';
import { runNamed } from '../store/pg-prepared.js';
import { openSqliteConnection } from '../store/sqlite-connection.js';
import type { UsageRecordsTable } from '../store/tables/gateway.js';
import { jstMonthSql } from '../store/migrations/070_usage_monthly.js';
import { jstMonth } from '../core/jst.js';

export type UsageRow = Omit<UsageRecordsTable, 'id'>;

/** Writes a batch of usage rows, and what they add to each tenant's month (usage_monthly), in one transaction. */
export interface UsageWriter {
  write(rows: UsageRow[]): Promise<void>;
  close(): Promise<void>;
}

/** One tenant's share of a batch in one month (Japan time): what the batch adds to usage_monthly. */
export interface MonthlyDelta {
  tenant: string;
  month: string;
  calls: number;
  tokens: number;
  cost_jpy: number;
}

/** A batch's rows summed by tenant and month, in a fixed order (writers on several nodes lock rows alike). */
export function monthlyDeltas(rows: readonly UsageRow[]): MonthlyDelta[] {
  const by = new Map<string, MonthlyDelta>();
  let month = { key: '', start: 0, end: 0 };
  for (const r of rows) {
    const t = Date.parse(r.time);
    if (!(t >= month.start && t < month.end)) month = jstMonth(t);
    const k = `${r.tenant}\u0000${month.key}`;
    const d = by.get(k);
    if (d) {
      d.calls += 1;
      d.tokens += r.total_tokens;
      d.cost_jpy += r.cost_jpy;
    } else by.set(k, { tenant: r.tenant, month: month.key, calls: 1, tokens: r.total_tokens, cost_jpy: r.cost_jpy });
  }
  return [...by.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, d]) => d);
}

const COLUMNS = ['time', 'day', 'tenant', 'user_id', 'app', 'model', 'prompt_tokens', 'completion_tokens', 'total_tokens', 'cost_jpy', 'energy_wh', 'latency_ms', 'audit_id'] as const;

/**
 * SQLite: a connection of its own with one prepared INSERT (opened on first use). A batch of rows costs
 * a few microseconds each on the event loop; through Kysely each row was compiled into one long
 * statement first (measured: 250 rows blocked the event loop for 9–22 ms).
 */
export function sqliteUsageWriter(file: string, o: { autoCheckpoint: boolean }): UsageWriter {
  let db: BetterSqlite3.Database | null = null;
  let insertMany: ((rows: UsageRow[]) => void) | null = null;
  const open = () => {
    db = openSqliteConnection(file, o);
    const insert = db.prepare(`INSERT INTO usage_records (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((c) => `@${c}`).join(', ')})`);
    const addMonth = db.prepare(`INSERT INTO usage_monthly (tenant, month, calls, tokens, cost_jpy) VALUES (@tenant, @month, @calls, @tokens, @cost_jpy)
      ON CONFLICT (tenant, month) DO UPDATE SET calls = calls + excluded.calls, tokens = tokens + excluded.tokens, cost_jpy = cost_jpy + excluded.cost_jpy`);
    insertMany = db.transaction((rows: UsageRow[]) => {
      for (const r of rows) insert.run(r);
      for (const d of monthlyDeltas(rows)) addMonth.run(d);
    });
    return insertMany;
  };
  return {
    async write(rows) {
      (insertMany ?? open())(rows);
    },
    async close() {
      db?.close();
      db = null;
      insertMany = null;
    },
  };
}

/** The usage insert's prepared statement name on each pooled connection. */
const USAGE_STATEMENT = 'hiraga_usage_insert';

/**
 * PostgreSQL: one INSERT … SELECT FROM unnest(column arrays), so the statement is the same text for
 * any number of rows (a multi-row VALUES list is compiled per row on the event loop) and runs as a named
 * prepared statement (store/pg-prepared.ts). The same statement adds the rows to usage_monthly (grouped and
 * ordered, so nodes writing at once lock the monthly rows in one order).
 */
export function postgresUsageWriter(store: Store): UsageWriter {
  const col = <K extends (typeof COLUMNS)[number]>(rows: UsageRow[], k: K) => rows.map((r) => r[k]);
  return {
    async write(rows) {
      const q = sql`
        WITH added AS (
          INSERT INTO usage_records (time, day, tenant, user_id, app, model, prompt_tokens, completion_tokens, total_tokens, cost_jpy, energy_wh, latency_ms, audit_id)
          SELECT * FROM unnest(${col(rows, 'time')}::text[], ${col(rows, 'day')}::text[], ${col(rows, 'tenant')}::text[], ${col(rows, 'user_id')}::text[],
            ${col(rows, 'app')}::text[], ${col(rows, 'model')}::text[], ${col(rows, 'prompt_tokens')}::int[], ${col(rows, 'completion_tokens')}::int[],
            ${col(rows, 'total_tokens')}::int[], ${col(rows, 'cost_jpy')}::float8[], ${col(rows, 'energy_wh')}::float8[], ${col(rows, 'latency_ms')}::int[],
            ${col(rows, 'audit_id')}::bigint[])
          RETURNING time, tenant, total_tokens, cost_jpy)
        INSERT INTO usage_monthly (tenant, month, calls, tokens, cost_jpy)
        SELECT tenant, ${jstMonthSql('postgres')} AS month, count(*), sum(total_tokens), sum(cost_jpy) FROM added GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (tenant, month) DO UPDATE SET calls = usage_monthly.calls + excluded.calls, tokens = usage_monthly.tokens + excluded.tokens, cost_jpy = usage_monthly.cost_jpy + excluded.cost_jpy`;
      await runNamed(store.db, q, USAGE_STATEMENT, store.preparedQuery);
    },
    async close() {},
  };
}

/** Any other store through Kysely. */
export function kyselyUsageWriter(store: Store): UsageWriter {
  return {
    async write(rows) {
      await store.db.transaction().execute(async (trx) => {
        await trx.insertInto('usage_records').values(rows).execute();
        for (const d of monthlyDeltas(rows)) {
          await trx
            .insertInto('usage_monthly')
            .values(d)
            .onConflict((oc) =>
              oc.columns(['tenant', 'month']).doUpdateSet({
                calls: sql`usage_monthly.calls + excluded.calls`,
                tokens: sql`usage_monthly.tokens + excluded.tokens`,
                cost_jpy: sql`usage_monthly.cost_jpy + excluded.cost_jpy`,
              }),
            )
            .execute();
        }
      });
    },
    async close() {},
  };
}

/** The writer fitting the store: SQLite's own connection when there is a file, one unnest statement on PostgreSQL. */
export function usageWriterFor(store: Store): UsageWriter {
  if (store.dialect === 'sqlite' && store.file) return sqliteUsageWriter(store.file, { autoCheckpoint: !store.backgroundCheckpoint });
  return store.dialect === 'postgres' ? postgresUsageWriter(store) : kyselyUsageWriter(store);
}
