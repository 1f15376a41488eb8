import type BetterSqlite3 from 'better-sqlite3';
import { openSqliteConnection } from '../store/sqlite-connection.js';
import type { AuditHeadTable, AuditJournalTable } from '../store/tables/audit.js';
import { appended, chainEvents, growTree } from './chain-batch.js';
import type { Frontier } from './merkle.js';
import type { Appended, ChainCommitter, CommitterOptions } from './chain-writer.js';
import type { PreparedEvent } from './record.js';
import { WalSync } from './wal-sync.js';

/** A journaled event that does not link to the event before it (the journal or the head was changed outside hiraga). */
export class JournalLinkError extends Error {
  constructor(readonly id: number) {
    super(`audit journal: event ${id} does not link to the event before it (the journal or the head was changed outside hiraga)`);
    this.name = 'JournalLinkError';
  }
}

/** Journal rows moved per settle transaction. */
const SETTLE_BATCH = 1000;

/**
 * The SQLite audit chain on a connection of its own, with prepared statements kept, in two steps:
 *
 * 1. `commit` (on the request path): `BEGIN IMMEDIATE` takes the write lock, the last linked event is
 *    read (the newest journal row, else the head), and the batch is linked, hashed and written to
 *    `audit_journal` — one small table without indexes, so a commit writes one or two pages. Ids and
 *    hashes are final at this point, and the event is as durable as the commit (see sqliteCommitter).
 * 2. `settle` (a moment later, or before anything reads the log): moves journal rows, in order, into
 *    `audit_events` and `audit_content`, grows the Merkle tree, signs the checkpoints due and deletes
 *    them from the journal, in one transaction.
 *
 * Why two steps: writing each event straight into the indexed tables and the head wrote 6–7 pages per
 * commit, ~110 µs of a governed call here (measured: 45 µs for the journal write); settling 25 events
 * at once shares those pages. Every process appends to ONE chain: both steps hold the write lock, and
 * every reader settles first (audit/log.ts), so what it reads is the whole log.
 *
 * It runs on the calling thread: a commit without fsync is a few page writes. A worker thread was
 * measured and lost on this kind of machine: each hand-off wakes another CPU twice, which cost more
 * than the commit it moved (npm run bench:gateway).
 */
export class SqliteChain {
  private readonly db: BetterSqlite3.Database;
  private readonly readHead: BetterSqlite3.Statement<[], AuditHeadTable>;
  private readonly lastLinked: BetterSqlite3.Statement<[], { id: number; hash: string }>;
  private readonly insertJournal: BetterSqlite3.Statement;
  private readonly journalLinks: BetterSqlite3.Statement<[number], Pick<AuditJournalTable, 'id' | 'prev_hash' | 'hash'>>;
  private readonly moveEvents: BetterSqlite3.Statement;
  private readonly moveContent: BetterSqlite3.Statement;
  private readonly anyJournal: BetterSqlite3.Statement<[], { id: number }>;
  private readonly deleteJournal: BetterSqlite3.Statement;
  private readonly insertCheckpoint: BetterSqlite3.Statement;
  private readonly writeHead: BetterSqlite3.Statement;
  private readonly appendTxn: BetterSqlite3.Transaction<(events: PreparedEvent[]) => Appended[]>;
  private readonly settleTxn: BetterSqlite3.Transaction<() => number>;
  /** The frontier this connection last wrote, with the head hash it belongs to (another process may have moved the head since). */
  private tree: { hash: string; frontier: Frontier } | null = null;

  constructor(file: string, private readonly o: CommitterOptions & { autoCheckpoint: boolean }) {
    this.db = openSqliteConnection(file, o);
    this.readHead = this.db.prepare('SELECT id, size, last_hash, frontier FROM audit_head WHERE id = 1');
    this.lastLinked = this.db.prepare('SELECT id, hash FROM audit_journal ORDER BY id DESC LIMIT 1');
    this.insertJournal = this.db.prepare('INSERT INTO audit_journal (id, time, tenant, action, user_id, record, prev_hash, hash, input, output, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    this.journalLinks = this.db.prepare('SELECT id, prev_hash, hash FROM audit_journal ORDER BY id LIMIT ?');
    // The rows move inside SQLite: only ids and hashes come out to JavaScript (for the links and the tree).
    this.moveEvents = this.db.prepare('INSERT INTO audit_events (id, time, tenant, action, user_id, record, prev_hash, hash) SELECT id, time, tenant, action, user_id, record, prev_hash, hash FROM audit_journal WHERE id <= ? ORDER BY id');
    this.moveContent = this.db.prepare('INSERT INTO audit_content (event_id, tenant, input, output, expires_at) SELECT id, tenant, input, output, expires_at FROM audit_journal WHERE id <= ? AND expires_at IS NOT NULL ORDER BY id');
    this.anyJournal = this.db.prepare('SELECT id FROM audit_journal LIMIT 1');
    this.deleteJournal = this.db.prepare('DELETE FROM audit_journal WHERE id <= ?');
    this.insertCheckpoint = this.db.prepare('INSERT INTO audit_checkpoints (tree_size, root, head_hash, time, key_id, signature) VALUES (?, ?, ?, ?, ?, ?)');
    this.writeHead = this.db.prepare('UPDATE audit_head SET size = ?, last_hash = ?, frontier = ? WHERE id = 1');

    this.appendTxn = this.db.transaction((events: PreparedEvent[]) => {
      const journaled = this.lastLinked.get();
      const head = journaled ? null : this.head();
      const b = journaled ? chainEvents(journaled.id, journaled.hash, events) : chainEvents(Number(head!.size), head!.last_hash, events);
      let c = 0;
      for (const r of b.events) {
        const content = b.contents[c]?.event_id === r.id ? b.contents[c++]! : null;
        this.insertJournal.run(r.id, r.time, r.tenant, r.action, r.user_id, r.record, r.prev_hash, r.hash, content?.input ?? null, content?.output ?? null, content?.expires_at ?? null);
      }
      return appended(b);
    });

    this.settleTxn = this.db.transaction(() => {
      const rows = this.journalLinks.all(SETTLE_BATCH);
      if (!rows.length) return 0;
      const head = this.head();
      let prev = head.last_hash;
      for (const r of rows) {
        if (r.prev_hash !== prev) throw new JournalLinkError(r.id);
        prev = r.hash;
      }
      const cached = this.tree?.hash === head.last_hash ? this.tree.frontier : undefined;
      const t = growTree(head, rows, { checkpointEvery: this.o.checkpointEvery, key: this.o.key, now: new Date().toISOString(), ...(cached ? { frontier: cached } : {}) });
      const lastId = rows[rows.length - 1]!.id;
      this.moveEvents.run(lastId);
      this.moveContent.run(lastId);
      for (const c of t.checkpoints) this.insertCheckpoint.run(c.tree_size, c.root, c.head_hash, c.time, c.key_id, c.signature);
      this.writeHead.run(t.head.size, t.head.last_hash, t.head.frontier);
      this.deleteJournal.run(lastId);
      this.tree = { hash: t.head.last_hash, frontier: t.frontier };
      return rows.length;
    });
  }

  private head(): AuditHeadTable {
    const head = this.readHead.get();
    if (!head) throw new Error('the audit_head row is missing: the store was not migrated');
    return head;
  }

  /** Link and journal the batch in one immediate transaction; returns after COMMIT (in the OS; sqliteCommitter waits for the disk when asked). */
  commit(events: PreparedEvent[]): Appended[] {
    return this.appendTxn.immediate(events);
  }

  /** Move every journaled event into the log (by any process's hand); returns how many were moved. */
  settle(): number {
    let moved = 0;
    try {
      while (this.anyJournal.get()) moved += this.settleTxn.immediate();
    } catch (err) {
      this.tree = null;
      throw err;
    }
    return moved;
  }

  close(): void {
    this.db.close();
  }
}

export type Durability = 'fsync' | 'os';

export interface SqliteCommitterOptions extends CommitterOptions {
  durability: Durability;
  autoCheckpoint: boolean;
  /** How long after a commit the journal is settled (ms); default 50. Readers settle at once. */
  settleDelayMs?: number;
  /** A background settle failed (the events stay in the journal; a busy store is retried, a journal that does not link is reported once). */
  onSettleError?: (err: Error) => void;
}

/**
 * Commits through a SqliteChain opened on first use (commands that only read open it to settle).
 * durability 'fsync': a commit resolves once its WAL frames are on disk (survives power loss);
 * 'os': once they are in the operating system (survives a crash of hiraga, not of the machine; the
 * disk catches up at SQLite's next checkpoint). The journal is settled `settleDelayMs` after a commit,
 * on this thread (25 events in ~0.6 ms measured alone, ~1 ms inside a loaded gateway), before any read,
 * and on close.
 */
export function sqliteCommitter(file: string, o: SqliteCommitterOptions): ChainCommitter {
  let chain: SqliteChain | null = null;
  let wal: WalSync | null = null;
  let timer: NodeJS.Timeout | null = null;
  /** The journal does not link to the log: settling cannot succeed until someone repairs it. */
  let broken = false;
  const delay = o.settleDelayMs ?? 50;
  const warn = o.onSettleError ?? ((err: Error) => process.emitWarning(`audit journal: settling failed (the events stay in the journal): ${err.message}`, 'HiragaWarning'));
  // A broken journal is reported once (readers still get the error, and verify names the event), not at every commit.
  const report = (err: Error) => {
    if (err instanceof JournalLinkError) {
      if (broken) return;
      broken = true;
    }
    warn(err);
  };
  const open = () => (chain ??= new SqliteChain(file, o));
  const settleNow = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    open().settle();
    broken = false;
  };
  const settleSoon = () => {
    if (timer || broken) return;
    timer = setTimeout(() => {
      timer = null;
      try {
        chain?.settle();
      } catch (err) {
        report(err as Error);
        settleSoon(); // a busy store is retried; a broken journal is not (broken is set)
      }
    }, delay);
    timer.unref();
  };
  return {
    async commit(events) {
      const results = open().commit(events);
      settleSoon();
      return { results, durable: o.durability === 'fsync' ? (wal ??= new WalSync(`${file}-wal`)).durable() : Promise.resolve() };
    },
    async settle() {
      settleNow();
    },
    async close() {
      if (timer) clearTimeout(timer);
      timer = null;
      try {
        chain?.settle();
      } catch (err) {
        // The events stay journaled; whoever opens the store next settles them (or reports the same).
        report(err as Error);
      } finally {
        chain?.close();
        wal?.close();
        chain = null;
        wal = null;
      }
    },
  };
}
