import fs from 'node:fs';
import path from 'node:path';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import { internalError, HiragaError } from '../core/errors.js';
import type { Database } from './database.js';
import { migrationProvider } from './migrations/index.js';
import { preparedQueryOn, type PreparedQuery } from './pg-prepared.js';

export type StoreTarget = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; schema?: string };

export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: 'sqlite' | 'postgres';
  /** Where the store lives, for messages (never includes a password). */
  readonly describe: string;
  /** The SQLite database file (SQLite only): for components that open a connection of their own. */
  readonly file?: string;
  /** SQLite: WAL checkpoints run in a background thread; other connections must not checkpoint in their commits. */
  readonly backgroundCheckpoint?: boolean;
  /** PostgreSQL: run a hot statement whose text never changes as a named prepared statement (pg-prepared.ts). */
  readonly preparedQuery?: PreparedQuery;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** Run pending migrations (default true). */
  migrate?: boolean;
  /** PostgreSQL pool size. */
  poolSize?: number;
  /**
   * SQLite: checkpoint the WAL in a worker thread instead of inside commits (long-running servers).
   * Connections opened on the same file should then set `wal_autocheckpoint = 0` too (Store.backgroundCheckpoint).
   */
  backgroundCheckpoint?: boolean;
}

/** Open the store and bring its schema up to date. */
export async function openStore(target: StoreTarget, options: OpenStoreOptions = {}): Promise<Store> {
  const store = target.kind === 'sqlite' ? await openSqlite(target.file, options.backgroundCheckpoint === true) : await openPostgres(target.url, target.schema, options.poolSize ?? 10);
  if (options.migrate !== false) {
    try {
      if (target.kind === 'postgres') await withPostgresMigrationLock(target.url, target.schema, () => migrate(store, target.schema));
      else await migrate(store);
    } catch (err) {
      await store.close();
      throw err;
    }
  }
  return store;
}

async function openSqlite(file: string, backgroundCheckpoint: boolean): Promise<Store> {
  const { default: BetterSqlite3 } = await import('better-sqlite3');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let handle: import('better-sqlite3').Database;
  try {
    handle = new BetterSqlite3(file);
  } catch (err) {
    throw internalError(`cannot open the SQLite store at ${file}: ${(err as Error).message}`, { cause: err });
  }
  const { configureSqlite } = await import('./sqlite-connection.js');
  try {
    configureSqlite(handle, { autoCheckpoint: !backgroundCheckpoint });
    handle.pragma('foreign_keys = ON');
  } catch (err) {
    handle.close();
    const code = (err as { code?: string }).code;
    // A damaged store is never replaced: it holds the audit trail and everything else already stored.
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') throw internalError(`データベースが破損しています / the SQLite store ${file} is damaged (${(err as Error).message}): restore it from a backup (hiraga does not replace it)`, { cause: err });
    throw internalError(`cannot open the SQLite store at ${file}: ${(err as Error).message}`, { cause: err });
  }
  let checkpointer: import('./sqlite-checkpointer.js').SqliteCheckpointer | null = null;
  if (backgroundCheckpoint) {
    const { SqliteCheckpointer } = await import('./sqlite-checkpointer.js');
    checkpointer = new SqliteCheckpointer(file);
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: handle }) });
  return {
    db,
    dialect: 'sqlite',
    describe: `SQLite ${file}`,
    file,
    backgroundCheckpoint,
    async close() {
      await db.destroy();
      await checkpointer?.close();
    },
  };
}

async function openPostgres(url: string, schema: string | undefined, poolSize: number): Promise<Store> {
  const pg = (await import('pg')).default;
  const parseInt8 = (v: string) => Number(v);
  const types = {
    getTypeParser: (oid: number, format?: any) => (oid === 20 ? parseInt8 : pg.types.getTypeParser(oid, format)),
  };
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    types: types as any,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  pool.on('error', () => {
    /* an idle client died; the pool replaces it */
  });
  // A client that is checked out (a transaction between statements, a query in flight) has no listener of the
  // pool's: when PostgreSQL ends its connection (a restart, a failover, pg_terminate_backend, a reset after a
  // partition) pg emits 'error' on it, and an 'error' nobody listens to ends the process — every gateway node on
  // the database at once. The query or transaction fails on its own (its promise rejects) and the pool drops the
  // client when it is released; this listener only keeps the event from killing the process.
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  try {
    const client = await pool.connect();
    if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema.replace(/"/g, '')}"`);
    client.release();
  } catch (err) {
    await pool.end().catch(() => {});
    throw internalError(`cannot connect to PostgreSQL at ${redactUrl(url)}: ${(err as Error).message}`, { cause: err });
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: 'postgres',
    describe: `PostgreSQL ${redactUrl(url)}${schema ? ` (schema ${schema})` : ''}`,
    preparedQuery: preparedQueryOn(pool),
    close: () => db.destroy(),
  };
}

async function migrate(store: Store, schema?: string): Promise<void> {
  // With a schema, Kysely must look for its migration tables in that schema: its introspection lists
  // every schema's tables, so another schema's kysely_migration would otherwise be taken for ours.
  const migrator = new Migrator({
    db: store.db,
    provider: migrationProvider({ dialect: store.dialect }),
    allowUnorderedMigrations: true,
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    if (error instanceof HiragaError) throw error;
    throw internalError(`store migration ${failed?.migrationName ?? ''} failed on ${store.describe}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Several processes starting at once on an empty database (gateway nodes, eval workers) must not migrate
 * concurrently: CREATE TABLE IF NOT EXISTS races in PostgreSQL's catalogue. One session-level advisory lock per
 * schema, held on its own connection, serialises them; the others then find nothing left to do.
 */
async function withPostgresMigrationLock<T>(url: string, schema: string | undefined, body: () => Promise<T>): Promise<T> {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`hiraga-migrate:${schema ?? 'public'}`]);
    return await body();
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`hiraga-migrate:${schema ?? 'public'}`]).catch(() => {});
    await client.end().catch(() => {});
  }
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(invalid URL)';
  }
}
