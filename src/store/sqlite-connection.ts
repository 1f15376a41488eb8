import BetterSqlite3 from 'better-sqlite3';

/**
 * The settings of every connection to a hiraga SQLite store: WAL, `synchronous = NORMAL` (in WAL mode a
 * commit survives a killed process; what must survive power loss syncs itself, see audit/wal-sync.ts), a
 * 10 s wait for another writer's lock. `autoCheckpoint: false` when a server's checkpointer thread does
 * the checkpoints (sqlite-checkpointer.ts), so no commit on this connection ever runs one.
 */
export function configureSqlite(db: BetterSqlite3.Database, o: { autoCheckpoint: boolean }): BetterSqlite3.Database {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 10000');
  if (!o.autoCheckpoint) db.pragma('wal_autocheckpoint = 0');
  return db;
}

/** One more connection to an existing store's file, for a component with prepared statements of its own. */
export function openSqliteConnection(file: string, o: { autoCheckpoint: boolean }): BetterSqlite3.Database {
  return configureSqlite(new BetterSqlite3(file, { fileMustExist: true }), o);
}
