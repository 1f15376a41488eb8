import type { Checkpoint } from './checkpoint.js';

/**
 * How much of a verified log a signed checkpoint vouches for. Events after the last checkpoint are chained
 * but anchored by no signature: whoever can write the database could cut them off (and rewrite the head)
 * without `audit verify` noticing, unless a checkpoint saved elsewhere says how long the log was.
 */
export interface Anchoring {
  lastCheckpoint: { treeSize: number; time: string } | null;
  /** Events after the last signed checkpoint. */
  unanchored: number;
}

export function anchoring(checkpoints: readonly Checkpoint[], events: number): Anchoring {
  const last = checkpoints.filter((c) => c.tree_size <= events).reduce<Checkpoint | null>((a, c) => (!a || c.tree_size > a.tree_size ? c : a), null);
  return { lastCheckpoint: last ? { treeSize: last.tree_size, time: last.time } : null, unanchored: events - (last?.tree_size ?? 0) };
}

/** One clause for the success line: "last signed checkpoint: 8 events at …; 2 events after it not anchored". */
export function anchoringText(a: Anchoring): string {
  if (!a.lastCheckpoint) return a.unanchored ? `no signed checkpoint yet: all ${a.unanchored} events unanchored` : 'empty log';
  const after = a.unanchored ? `; ${a.unanchored} event${a.unanchored > 1 ? 's' : ''} after it not yet anchored` : '';
  return `last signed checkpoint: ${a.lastCheckpoint.treeSize} events at ${a.lastCheckpoint.time}${after}`;
}
