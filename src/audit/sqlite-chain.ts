import type BetterSqlite3 from 'better-sqlite3';
import { openSqliteConnection } from '../store/sqlite-connection.js';
import type { AuditHeadTable } from '../store/tables/audit.js';
import { appended, extendChain } from './chain-batch.js';
import type { Frontier } from './merkle.js';
import type { Appended, ChainCommitter, CommitterOptions } from './chain-writer.js';
import type { PreparedEvent } from './record.js';
import { WalSync } from './wal-sync.js';

/**
 * The SQLite append transaction on a connection of its own, with prepared statements kept:
 * `BEGIN IMMEDIATE` takes the write lock before the head is read (so every process extends ONE chain).
 * The commit itself writes the WAL without waiting for the disk (`synchronous = NORMAL`); durability
 * is `sqliteCommitter`'s job (a group fdatasync of the WAL off the event loop, see wal-sync.ts).
 *
 * It runs on the calling thread: a commit without fsync is a few page writes. A worker thread was
 * measured and lost on this kind of machine: each hand-off wakes another CPU twice, which cost more
 * than the commit it moved (npm run bench:gateway).
 */
export class SqliteChain {
  private readonly db: BetterSqlite3.Database;
  private readonly readHead: BetterSqlite3.Statement<[], AuditHeadTable>;
  private readonly insertEvent: BetterSqlite3.Statement;
  private readonly insertContent: BetterSqlite3.Statement;
  private readonly insertCheckpoint: BetterSqlite3.Statement;
  private readonly writeHead: BetterSqlite3.Statement;
  private readonly txn: BetterSqlite3.Transaction<(events: PreparedEvent[]) => Appended[]>;
  /** The frontier this connection last wrote, with the head hash it belongs to (another process may have moved the head since). */
  private last: { hash: string; frontier: Frontier } | null = null;

  constructor(file: string, private readonly o: CommitterOptions & { autoCheckpoint: boolean }) {
    this.db = openSqliteConnection(file, o);
    this.readHead = this.db.prepare('SELECT id, size, last_hash, frontier FROM audit_head WHERE id = 1');
    this.insertEvent = this.db.prepare('INSERT INTO audit_events (id, time, tenant, action, user_id, record, prev_hash, hash) VALUES (@id, @time, @tenant, @action, @user_id, @record, @prev_hash, @hash)');
    this.insertContent = this.db.prepare('INSERT INTO audit_content (event_id, tenant, input, output, expires_at) VALUES (@event_id, @tenant, @input, @output, @expires_at)');
    this.insertCheckpoint = this.db.prepare('INSERT INTO audit_checkpoints (tree_size, root, head_hash, time, key_id, signature) VALUES (@tree_size, @root, @head_hash, @time, @key_id, @signature)');
    this.writeHead = this.db.prepare('UPDATE audit_head SET size = @size, last_hash = @last_hash, frontier = @frontier WHERE id = 1');
    this.txn = this.db.transaction((events: PreparedEvent[]) => {
      const head = this.readHead.get();
      if (!head) throw new Error('the audit_head row is missing: the store was not migrated');
      const cached = this.last?.hash === head.last_hash ? this.last.frontier : undefined;
      const b = extendChain(head, events, { checkpointEvery: this.o.checkpointEvery, key: this.o.key, now: new Date().toISOString(), ...(cached ? { frontier: cached } : {}) });
      for (const r of b.events) this.insertEvent.run(r);
      for (const r of b.contents) this.insertContent.run(r);
      for (const r of b.checkpoints) this.insertCheckpoint.run(r);
      this.writeHead.run(b.head);
      this.last = { hash: b.head.last_hash, frontier: b.frontier };
      return appended(b);
    });
  }

  /** Append in one immediate transaction; returns after COMMIT (in the OS; sqliteCommitter waits for the disk when asked). */
  commit(events: PreparedEvent[]): Appended[] {
    try {
      return this.txn.immediate(events);
    } catch (err) {
      this.last = null;
      throw err;
    }
  }

  close(): void {
    this.db.close();
  }
}

export type Durability = 'fsync' | 'os';

/**
 * Commits through a SqliteChain opened on first use (commands that only read never open it).
 * durability 'fsync': a commit resolves once its WAL frames are on disk (survives power loss);
 * 'os': once they are in the operating system (survives a crash of hiraga, not of the machine; the
 * disk catches up at SQLite's next checkpoint).
 */
export function sqliteCommitter(file: string, o: CommitterOptions & { durability: Durability; autoCheckpoint: boolean }): ChainCommitter {
  let chain: SqliteChain | null = null;
  let wal: WalSync | null = null;
  return {
    async commit(events) {
      const results = (chain ??= new SqliteChain(file, o)).commit(events);
      return { results, durable: o.durability === 'fsync' ? (wal ??= new WalSync(`${file}-wal`)).durable() : Promise.resolve() };
    },
    async close() {
      chain?.close();
      wal?.close();
      chain = null;
      wal = null;
    },
  };
}
