import type { ResolvedConfig } from '../config/load.js';
import { notFound } from '../core/errors.js';
import { extend } from '../core/objects.js';
import type { Store } from '../store/open.js';
import { ChainWriter, kyselyCommitter, type ChainCommitter } from './chain-writer.js';
import { checkpointFromRow, signCheckpoint, type Checkpoint } from './checkpoint.js';
import { exportLines } from './export.js';
import { withChainHead } from './head-lock.js';
import { loadSigningKey, verifyKeyFromPem, type SigningKey } from './keys.js';
import { Frontier } from './merkle.js';
import { proveConsistency, proveInclusion, type ConsistencyProof, type InclusionProof } from './proofs.js';
import { lastSeen, queryEvents, type AuditFilter, type AuditQuery } from './query.js';
import { prepareEvent } from './record.js';
import { expireContent, retentionDays } from './retention.js';
import type { AuditEventInput, AuditEventRecord, AuditSink } from './types.js';
import { verifyStoredChain, type SavedCheckpoint, type VerifyReport } from './verify-store.js';
import { JournalLinkError, sqliteCommitter } from './sqlite-chain.js';
import { pgCommitter } from './pg-chain.js';

export type AuditConfig = Pick<ResolvedConfig, 'dataDir' | 'audit'>;

export interface AuditLog extends AuditSink {
  /** Events, newest first by default; without content unless `includeContent` (auditor view). */
  query(q?: AuditQuery): Promise<AuditEventRecord[]>;
  /** The time of each credential's newest event (`actor.credential`), for those that have one. */
  lastSeen(credentials: readonly string[]): Promise<Map<string, string>>;
  /** Sign a checkpoint of the current head now (or return the one already there). Null on an empty log. */
  checkpoint(): Promise<Checkpoint | null>;
  checkpoints(): Promise<Checkpoint[]>;
  /** Walk the whole chain; `saved`: a checkpoint kept outside the store whose events must still be there, unchanged. */
  verify(saved?: SavedCheckpoint): Promise<VerifyReport>;
  /** Export lines (manifest, events, checkpoints), cut at a fresh checkpoint. */
  export(filter?: Omit<AuditFilter, 'maxId'>): AsyncGenerator<string>;
  prove(eventId: number): Promise<InclusionProof>;
  proveConsistency(firstSize: number, secondSize?: number): Promise<ConsistencyProof>;
  /** Delete kept content whose retention ended; returns how many were deleted. */
  expireContent(now?: Date): Promise<number>;
  /** Wait until every append made so far has committed and is in the log. */
  flush(): Promise<void>;
  /** Flush, then stop the writer (its thread, if any). */
  close(): Promise<void>;
  publicKeyPem(): string;
}

/**
 * The audit trail over the store: group-committed, hash-chained, with signed Merkle checkpoints.
 * `o.settleDelayMs`: on SQLite, how long after a commit the journal is settled (default 50 ms; tests).
 */
export function createAuditLog(store: Store, config: AuditConfig, o: { settleDelayMs?: number } = {}): AuditLog {
  let key: SigningKey | null = null;
  const signingKey = () => (key ??= loadSigningKey(config));
  const commitOptions = { checkpointEvery: config.audit.checkpointEvery, key: signingKey };
  // SQLite: a connection of the audit's own with prepared statements; PostgreSQL: one round trip per batch
  // while this process knows the head (pg-chain.ts); anything else through Kysely.
  const committer: ChainCommitter =
    store.dialect === 'sqlite' && store.file
      ? sqliteCommitter(store.file, extend(commitOptions, { durability: config.audit.durability, autoCheckpoint: !store.backgroundCheckpoint, ...o }))
      : store.dialect === 'postgres'
        ? pgCommitter(store, commitOptions)
        : kyselyCommitter(store, commitOptions);
  const writer = new ChainWriter(committer);
  /** SQLite journals appends first (sqlite-chain.ts): every read moves them into the log before it looks. */
  const settled = async () => {
    await committer.settle?.();
  };
  const retention = (tenant: string, level: number) => retentionDays(config.audit.retention, tenant, level);
  const db = store.db;

  const checkpoint = async (): Promise<Checkpoint | null> => {
    const k = signingKey();
    await settled();
    return withChainHead(store, async (trx, head) => {
      if (!head.size) return null;
      const existing = await trx.selectFrom('audit_checkpoints').selectAll().where('tree_size', '=', head.size).executeTakeFirst();
      if (existing) return checkpointFromRow(existing);
      const root = Frontier.fromJson(head.size, head.frontier).root().toString('hex');
      const c = signCheckpoint(k, head.size, root, head.last_hash, new Date().toISOString());
      await trx.insertInto('audit_checkpoints').values({ tree_size: c.tree_size, root: c.root, head_hash: c.head_hash, time: c.time, key_id: c.key_id, signature: c.signature }).execute();
      return c;
    });
  };
  const checkpointAt = async (size: number): Promise<Checkpoint | undefined> => {
    await settled();
    const row = await db.selectFrom('audit_checkpoints').selectAll().where('tree_size', '=', size).executeTakeFirst();
    return row && checkpointFromRow(row);
  };
  /** The smallest checkpoint covering `size` events, signing one on demand. */
  const covering = async (size: number): Promise<Checkpoint> => {
    await settled();
    const row = await db.selectFrom('audit_checkpoints').selectAll().where('tree_size', '>=', size).orderBy('tree_size').limit(1).executeTakeFirst();
    if (row) return checkpointFromRow(row);
    const c = await checkpoint();
    if (!c || c.tree_size < size) throw notFound(`audit event ${size} does not exist (the log has ${c?.tree_size ?? 0} events)`);
    return c;
  };

  return {
    async append(event: AuditEventInput) {
      return writer.append(prepareEvent(event, new Date().toISOString(), retention));
    },
    async query(q = {}) {
      await settled();
      return queryEvents(db, q, store.dialect);
    },
    async lastSeen(credentials) {
      await settled();
      return lastSeen(db, store.dialect, credentials);
    },
    checkpoint,
    async checkpoints() {
      await settled();
      return (await db.selectFrom('audit_checkpoints').selectAll().orderBy('tree_size').execute()).map(checkpointFromRow);
    },
    async verify(saved) {
      let broken: JournalLinkError | null = null;
      try {
        await settled();
      } catch (err) {
        // A journal that does not continue the chain is a verification finding, not a crash.
        if (!(err instanceof JournalLinkError)) throw err;
        broken = err;
      }
      const report = await verifyStoredChain(db, verifyKeyFromPem(signingKey().publicKeyPem), saved);
      return broken ? extend(report, { ok: false, firstBad: report.firstBad ?? { id: broken.id, problem: broken.message } }) : report;
    },
    async *export(filter = {}) {
      const c = await checkpoint();
      const cut = c ?? signCheckpoint(signingKey(), 0, '', '', new Date().toISOString());
      yield* exportLines(db, signingKey(), cut, filter);
    },
    async prove(eventId) {
      return proveInclusion(db, eventId, await covering(eventId));
    },
    async proveConsistency(firstSize, secondSize) {
      const second = secondSize === undefined ? await checkpoint() : await checkpointAt(secondSize);
      const first = await checkpointAt(firstSize);
      if (!first) throw notFound(`no signed checkpoint for ${firstSize} events (see hiraga audit checkpoints)`);
      if (!second) throw notFound(`no signed checkpoint for ${secondSize ?? 0} events`);
      return proveConsistency(db, first, second);
    },
    async expireContent(now) {
      await settled();
      return expireContent(db, now);
    },
    async flush() {
      await writer.idle();
      await settled();
    },
    close: () => writer.close(),
    publicKeyPem: () => signingKey().publicKeyPem,
  };
}
