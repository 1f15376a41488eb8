import type { Store } from '../store/open.js';
import { appended, extendChain } from './chain-batch.js';
import { withChainHead } from './head-lock.js';
import type { SigningKey } from './keys.js';
import type { PreparedEvent } from './record.js';

export type Appended = { id: number; hash: string };

/**
 * Writes one batch of events in one transaction holding the chain head. Resolves after the commit
 * with the ids and hashes, and with `durable`, which resolves once the batch is on disk (for a store
 * whose commit already waits for the disk, at once). The next batch may commit before it resolves.
 */
export interface ChainCommitter {
  commit(events: PreparedEvent[]): Promise<{ results: Appended[]; durable: Promise<void> }>;
  /** Committers that journal events first (SQLite): move what is journaled into the log now. Readers call it first. */
  settle?(): Promise<void>;
  close(): Promise<void>;
}

/** Batches scheduled closer together than this (ms) mean load: the next one waits to gather more appends. */
const BUSY_MS = 1;

interface Pending {
  event: PreparedEvent;
  resolve(v: Appended): void;
  reject(err: unknown): void;
}

/**
 * Group commit: appends arriving while a transaction is running wait for the next one, which takes
 * all of them; under load a batch also waits for the rest of the event loop's turn. Every `append`
 * resolves only after its batch is committed and durable; the next batch commits while the previous one
 * waits for the disk.
 */
export class ChainWriter {
  private queue: Pending[] = [];
  private running: Promise<void> | null = null;
  private lastScheduled = -Infinity;
  private readonly syncing = new Set<Promise<void>>();

  constructor(
    private readonly committer: ChainCommitter,
    private readonly maxBatch = 2000,
  ) {}

  append(event: PreparedEvent): Promise<Appended> {
    return new Promise((resolve, reject) => {
      this.queue.push({ event, resolve, reject });
      if (this.running) return;
      // Under load (the last batch was scheduled less than BUSY_MS ago), wait for the end of the poll phase so
      // the appends of every request handled in this turn share one batch; otherwise commit right after
      // the current callback. The wait cost ~40 µs of a governed call at 500 req/s (bench:gateway),
      // where batches were single events anyway.
      const now = performance.now();
      const busy = now - this.lastScheduled < BUSY_MS;
      this.lastScheduled = now;
      this.running = (busy ? new Promise<void>((r) => setImmediate(r)) : Promise.resolve()).then(() => this.drain());
    });
  }

  /** Resolves when everything queued so far is committed (or failed). */
  async idle(): Promise<void> {
    while (this.running || this.syncing.size) {
      if (this.running) await this.running;
      else await Promise.allSettled([...this.syncing]);
    }
  }

  async close(): Promise<void> {
    await this.idle();
    await this.committer.close();
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, this.maxBatch);
        try {
          const { results, durable } = await this.committer.commit(batch.map((p) => p.event));
          const done = durable.then(
            () => batch.forEach((p, i) => p.resolve(results[i]!)),
            (err) => batch.forEach((p) => p.reject(err)),
          );
          this.syncing.add(done);
          void done.finally(() => this.syncing.delete(done));
        } catch (err) {
          batch.forEach((p) => p.reject(err));
        }
      }
    } finally {
      this.running = null;
    }
  }
}

export interface CommitterOptions {
  checkpointEvery: number;
  key(): SigningKey;
}

/** Any store through Kysely (PostgreSQL: the head row locked FOR UPDATE; SQLite: BEGIN IMMEDIATE). */
export function kyselyCommitter(store: Store, o: CommitterOptions): ChainCommitter {
  return {
    commit: (events) =>
      withChainHead(store, async (db, head) => {
        const b = extendChain(head, events, { checkpointEvery: o.checkpointEvery, key: o.key, now: new Date().toISOString() });
        for (let i = 0; i < b.events.length; i += 500) await db.insertInto('audit_events').values(b.events.slice(i, i + 500)).execute();
        for (let i = 0; i < b.contents.length; i += 500) await db.insertInto('audit_content').values(b.contents.slice(i, i + 500)).execute();
        if (b.checkpoints.length) await db.insertInto('audit_checkpoints').values(b.checkpoints).execute();
        await db.updateTable('audit_head').set({ size: b.head.size, last_hash: b.head.last_hash, frontier: b.head.frontier }).where('id', '=', 1).execute();
        return { results: appended(b), durable: Promise.resolve() };
      }),
    close: async () => {},
  };
}
