import type { Kysely } from 'kysely';
import { badInput, internalError, notFound } from '../core/errors.js';
import type { Database } from '../store/database.js';
import type { Checkpoint } from './checkpoint.js';
import { consistencyProof, inclusionPath, leafHash, subtreeRoot } from './merkle.js';

export interface InclusionProof {
  algorithm: string;
  event_id: number;
  leaf_index: number;
  tree_size: number;
  event_hash: string;
  leaf_hash: string;
  audit_path: string[];
  root: string;
  checkpoint: Checkpoint;
}

export interface ConsistencyProof {
  algorithm: string;
  first: Checkpoint;
  second: Checkpoint;
  proof: string[];
}

export const ALGORITHM = 'RFC 9162 Merkle tree, SHA-256; leaf = SHA-256(0x00 || event hash), node = SHA-256(0x01 || left || right)';

async function leaves(db: Kysely<Database>, size: number): Promise<{ hashes: string[]; leaves: Buffer[] }> {
  const hashes: string[] = [];
  for (let after = 0; after < size; ) {
    const rows = await db.selectFrom('audit_events').select(['id', 'hash']).where('id', '>', after).where('id', '<=', size).orderBy('id').limit(50_000).execute();
    if (!rows.length) break;
    for (const r of rows) hashes.push(r.hash);
    after = Number(rows[rows.length - 1]!.id);
  }
  if (hashes.length !== size) throw internalError(`the audit log has ${hashes.length} of the ${size} events a checkpoint covers; run hiraga audit verify`);
  return { hashes, leaves: hashes.map((h) => leafHash(Buffer.from(h, 'hex'))) };
}

/** The inclusion proof of an event against `checkpoint` (which must cover it). */
export async function proveInclusion(db: Kysely<Database>, eventId: number, checkpoint: Checkpoint): Promise<InclusionProof> {
  if (!Number.isInteger(eventId) || eventId < 1) throw badInput(`event id must be a positive integer, got ${eventId}`);
  if (eventId > checkpoint.tree_size) throw notFound(`audit event ${eventId} does not exist (the log has ${checkpoint.tree_size} events)`);
  const { hashes, leaves: l } = await leaves(db, checkpoint.tree_size);
  if (subtreeRoot(l).toString('hex') !== checkpoint.root) throw internalError(`the stored events do not match the signed checkpoint for ${checkpoint.tree_size} events; run hiraga audit verify`);
  return {
    algorithm: ALGORITHM,
    event_id: eventId,
    leaf_index: eventId - 1,
    tree_size: checkpoint.tree_size,
    event_hash: hashes[eventId - 1]!,
    leaf_hash: l[eventId - 1]!.toString('hex'),
    audit_path: inclusionPath(eventId - 1, l).map((b) => b.toString('hex')),
    root: checkpoint.root,
    checkpoint,
  };
}

/** Proof that the tree at `first` is a prefix of the tree at `second` (nothing before it changed). */
export async function proveConsistency(db: Kysely<Database>, first: Checkpoint, second: Checkpoint): Promise<ConsistencyProof> {
  if (first.tree_size > second.tree_size) throw badInput(`the first checkpoint (${first.tree_size}) must not be larger than the second (${second.tree_size})`);
  const { leaves: l } = await leaves(db, second.tree_size);
  return { algorithm: ALGORITHM, first, second, proof: consistencyProof(first.tree_size, l).map((b) => b.toString('hex')) };
}
