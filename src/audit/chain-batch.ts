import { extend } from '../core/objects.js';
import type { AuditCheckpointsTable, AuditContentTable, AuditEventsTable, AuditHeadTable } from '../store/tables/audit.js';
import { signCheckpoint } from './checkpoint.js';
import type { SigningKey } from './keys.js';
import { Frontier } from './merkle.js';
import { hashRecord, type HashedRecord, type PreparedEvent } from './record.js';
import { expiryTime } from './retention.js';

/** The rows one append transaction writes, and the head it leaves behind. */
export interface ChainBatch {
  events: AuditEventsTable[];
  contents: AuditContentTable[];
  checkpoints: AuditCheckpointsTable[];
  head: AuditHeadTable;
}

export interface ExtendOptions {
  /** Sign a checkpoint whenever the tree size reaches a multiple of this (0 = never). */
  checkpointEvery: number;
  /** Needed only when a checkpoint falls inside the batch. */
  key: () => SigningKey;
  now: string;
  /** The head's frontier already parsed (the caller's copy from its last batch); parsed from `head.frontier` when absent or not of this head. */
  frontier?: Frontier;
}

/**
 * Link `events` after the event (`size`, `lastHash`): ids, prev/hash, and the kept content with its
 * expiry. Pure; the first half of extendChain, and all the SQLite hot path does (sqlite-chain.ts).
 */
export function chainEvents(size: number, lastHash: string, events: PreparedEvent[]): { events: AuditEventsTable[]; contents: AuditContentTable[] } {
  let prev = lastHash;
  const out = { events: [] as AuditEventsTable[], contents: [] as AuditContentTable[] };
  let id = size;
  for (const e of events) {
    id++;
    const record: HashedRecord = extend(e.base, { id, prev_hash: prev });
    const { json, hash } = hashRecord(record);
    out.events.push({ id, time: record.time, tenant: record.actor.tenant, action: record.action, user_id: record.actor.user, record: json, prev_hash: prev, hash });
    if (e.content && record.contentRetentionDays) {
      out.contents.push({
        event_id: id,
        tenant: record.actor.tenant,
        input: e.content.input ?? null,
        output: e.content.output ?? null,
        expires_at: expiryTime(record.time, record.contentRetentionDays),
      });
    }
    prev = hash;
  }
  return out;
}

/**
 * Grow the Merkle tree at `head` by already linked events (their ids must continue the head): the new
 * head with its frontier, and any checkpoints due. Pure; the second half of extendChain.
 */
export function growTree(head: AuditHeadTable, events: ReadonlyArray<{ id: number; hash: string }>, o: ExtendOptions): { checkpoints: AuditCheckpointsTable[]; head: AuditHeadTable; frontier: Frontier } {
  const frontier = o.frontier && o.frontier.size === Number(head.size) ? new Frontier(o.frontier.size, [...o.frontier.nodes]) : Frontier.fromJson(Number(head.size), head.frontier);
  const checkpoints: AuditCheckpointsTable[] = [];
  let last = head.last_hash;
  for (const e of events) {
    if (e.id !== frontier.size + 1) throw new Error(`audit chain: event ${e.id} does not follow the head (${frontier.size} events)`);
    frontier.push(Buffer.from(e.hash, 'hex'));
    last = e.hash;
    if (o.checkpointEvery && frontier.size % o.checkpointEvery === 0) {
      const c = signCheckpoint(o.key(), frontier.size, frontier.root().toString('hex'), e.hash, o.now);
      checkpoints.push({ tree_size: c.tree_size, root: c.root, head_hash: c.head_hash, time: c.time, key_id: c.key_id, signature: c.signature });
    }
  }
  return { checkpoints, head: { id: 1, size: frontier.size, last_hash: last, frontier: frontier.toJson() }, frontier };
}

/**
 * Extend the chain at `head` by `events`: ids, prev/hash links, kept content with its expiry, Merkle
 * frontier and any checkpoints due. Pure: the PostgreSQL and Kysely committers (pg-chain.ts,
 * chain-writer.ts) write exactly what this returns inside the transaction that holds the head. Returns
 * the new frontier too, so a committer can keep it for its next batch (`o.frontier`).
 */
export function extendChain(head: AuditHeadTable, events: PreparedEvent[], o: ExtendOptions): ChainBatch & { frontier: Frontier } {
  const linked = chainEvents(Number(head.size), head.last_hash, events);
  const tree = growTree(head, linked.events, o);
  return { events: linked.events, contents: linked.contents, checkpoints: tree.checkpoints, head: tree.head, frontier: tree.frontier };
}

/** Id and hash of each appended event, in order. */
export const appended = (b: Pick<ChainBatch, 'events'>) => b.events.map((r) => ({ id: r.id, hash: r.hash }));
