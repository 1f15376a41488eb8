import type { Store } from '../store/open.js';
import type { AuditCheckpointsTable, AuditContentTable, AuditEventsTable } from '../store/tables/audit.js';
import { signCheckpoint } from './checkpoint.js';
import { withChainHead } from './head-lock.js';
import type { SigningKey } from './keys.js';
import { Frontier } from './merkle.js';
import { hashRecord, type HashedRecord, type PreparedEvent } from './record.js';
import { expiryTime } from './retention.js';

interface Pending {
  event: PreparedEvent;
  resolve(v: { id: number; hash: string }): void;
  reject(err: unknown): void;
}

export interface ChainWriterOptions {
  checkpointEvery: number;
  /** Largest number of events committed in one transaction. */
  maxBatch?: number;
  key(): SigningKey;
}

/**
 * Group commit: appends arriving while a transaction is running wait for the next one, which takes
 * all of them. Every `append` resolves only after its transaction committed.
 */
export class ChainWriter {
  private queue: Pending[] = [];
  private running: Promise<void> | null = null;

  constructor(
    private readonly store: Store,
    private readonly options: ChainWriterOptions,
  ) {}

  append(event: PreparedEvent): Promise<{ id: number; hash: string }> {
    return new Promise((resolve, reject) => {
      this.queue.push({ event, resolve, reject });
      this.running ??= new Promise<void>((r) => setImmediate(r)).then(() => this.drain());
    });
  }

  /** Resolves when everything queued so far is committed (or failed). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, this.options.maxBatch ?? 2000);
        try {
          const results = await this.commit(batch.map((p) => p.event));
          batch.forEach((p, i) => p.resolve(results[i]!));
        } catch (err) {
          batch.forEach((p) => p.reject(err));
        }
      }
    } finally {
      this.running = null;
    }
  }

  private async commit(events: PreparedEvent[]): Promise<{ id: number; hash: string }[]> {
    const every = this.options.checkpointEvery;
    const key = events.length && every ? this.options.key() : null;
    return withChainHead(this.store, async (db, head) => {
      const frontier = Frontier.fromJson(head.size, head.frontier);
      let prev = head.last_hash;
      const rows: AuditEventsTable[] = [];
      const contents: AuditContentTable[] = [];
      const checkpoints: AuditCheckpointsTable[] = [];
      const now = new Date().toISOString();
      for (const e of events) {
        const id = frontier.size + 1;
        const record: HashedRecord = { ...e.base, id, prev_hash: prev };
        const { json, hash } = hashRecord(record);
        rows.push({ id, time: record.time, tenant: record.actor.tenant, action: record.action, user_id: record.actor.user, record: json, prev_hash: prev, hash });
        if (e.content && record.contentRetentionDays) {
          contents.push({
            event_id: id,
            tenant: record.actor.tenant,
            input: e.content.input ?? null,
            output: e.content.output ?? null,
            expires_at: expiryTime(record.time, record.contentRetentionDays),
          });
        }
        frontier.push(Buffer.from(hash, 'hex'));
        prev = hash;
        if (key && frontier.size % every === 0) {
          const c = signCheckpoint(key, frontier.size, frontier.root().toString('hex'), hash, now);
          checkpoints.push({ tree_size: c.tree_size, root: c.root, head_hash: c.head_hash, time: c.time, key_id: c.key_id, signature: c.signature });
        }
      }
      for (let i = 0; i < rows.length; i += 500) await db.insertInto('audit_events').values(rows.slice(i, i + 500)).execute();
      for (let i = 0; i < contents.length; i += 500) await db.insertInto('audit_content').values(contents.slice(i, i + 500)).execute();
      if (checkpoints.length) await db.insertInto('audit_checkpoints').values(checkpoints).execute();
      await db.updateTable('audit_head').set({ size: frontier.size, last_hash: prev, frontier: frontier.toJson() }).where('id', '=', 1).execute();
      return rows.map((r) => ({ id: r.id, hash: r.hash }));
    });
  }
}
