import { canonicalJson } from './canonical.js';
import type { SigningKey, VerifyKey } from './keys.js';

export const LOG_ID = 'hiraga-audit/v1';

/** A signed statement: "the first tree_size events have this Merkle root and this chain head". */
export interface Checkpoint {
  kind: 'checkpoint';
  log: string;
  tree_size: number;
  root: string;
  head_hash: string;
  time: string;
  key_id: string;
  signature: string;
}

export function checkpointStatement(c: Omit<Checkpoint, 'signature' | 'kind' | 'log'>): string {
  return canonicalJson({ kind: 'checkpoint', log: LOG_ID, tree_size: c.tree_size, root: c.root, head_hash: c.head_hash, time: c.time, key_id: c.key_id });
}

export function signCheckpoint(key: SigningKey, treeSize: number, root: string, headHash: string, time: string): Checkpoint {
  const body = { tree_size: treeSize, root, head_hash: headHash, time, key_id: key.keyId };
  return { kind: 'checkpoint', log: LOG_ID, ...body, signature: key.sign(checkpointStatement(body)) };
}

export function checkpointSignatureOk(key: VerifyKey, c: Checkpoint): boolean {
  return c.key_id === key.keyId && key.verify(checkpointStatement(c), c.signature);
}

export function checkpointFromRow(r: { tree_size: number; root: string; head_hash: string; time: string; key_id: string; signature: string }): Checkpoint {
  return { kind: 'checkpoint', log: LOG_ID, tree_size: Number(r.tree_size), root: r.root, head_hash: r.head_hash, time: r.time, key_id: r.key_id, signature: r.signature };
}
