import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import { checkpointFromRow, checkpointSignatureOk, type Checkpoint } from './checkpoint.js';
import type { VerifyKey } from './keys.js';
import { Frontier } from './merkle.js';
import { sha256Hex } from './canonical.js';
import { GENESIS_HASH } from './record.js';

export interface VerifyReport {
  ok: boolean;
  events: number;
  checkpoints: number;
  /** The first problem found: the event (or checkpoint size) and what is wrong. */
  firstBad?: { id: number; problem: string };
}

const PAGE = 10_000;

/**
 * Walk the whole chain in order: ids gap-free, every hash over its stored record, every prev_hash the
 * previous hash, indexed columns equal to the hashed record, every checkpoint's Merkle root, head hash
 * and Ed25519 signature, and the head row. Stops at the first problem.
 */
/** A checkpoint saved outside the store (`hiraga audit checkpoint > FILE`): the log must still hold what it signed. */
export interface SavedCheckpoint {
  checkpoint: Checkpoint;
  /** Where it came from, for the message (a file name). */
  label: string;
}

export async function verifyStoredChain(db: Kysely<Database>, key: VerifyKey | null, saved?: SavedCheckpoint): Promise<VerifyReport> {
  const checkpoints = new Map((await db.selectFrom('audit_checkpoints').selectAll().execute()).map((r) => [Number(r.tree_size), checkpointFromRow(r)]));
  const head = await db.selectFrom('audit_head').selectAll().where('id', '=', 1).executeTakeFirst();
  const frontier = new Frontier(0, []);
  let prev = GENESIS_HASH;
  let seen = 0;
  const bad = (id: number, problem: string): VerifyReport => ({ ok: false, events: seen, checkpoints: checkpointsChecked, firstBad: { id, problem } });
  let checkpointsChecked = 0;
  for (;;) {
    const rows = await db.selectFrom('audit_events').selectAll().where('id', '>', seen).orderBy('id').limit(PAGE).execute();
    if (!rows.length) break;
    for (const row of rows) {
      const id = Number(row.id);
      const expected = seen + 1;
      if (id !== expected) return bad(expected, `event ${expected} is missing; the next stored event is ${id} (deleted) / イベント ${expected} が欠落`);
      if (sha256Hex(row.record) !== row.hash) return bad(id, `hash does not match the event's recorded fields (edited) / 内容が改変されています`);
      let rec: Record<string, any>;
      try {
        rec = JSON.parse(row.record);
      } catch {
        return bad(id, 'the recorded fields are not valid JSON (edited)');
      }
      if (rec.id !== id) return bad(id, `the hashed record says id ${String(rec.id)} (moved or reordered)`);
      if (row.prev_hash !== prev || rec.prev_hash !== prev) {
        return bad(id, `prev_hash does not match the hash of event ${id - 1} (an event before it was deleted, inserted, reordered or edited) / 直前のイベントとの連鎖が切れています`);
      }
      const cols: [string, unknown, unknown][] = [
        ['time', row.time, rec.time],
        ['tenant', row.tenant, rec.actor?.tenant],
        ['action', row.action, rec.action],
        ['user', row.user_id, rec.actor?.user],
      ];
      for (const [name, stored, hashed] of cols) {
        if (stored !== hashed) return bad(id, `column ${name} (${JSON.stringify(stored)}) differs from the hashed record (${JSON.stringify(hashed)}) (edited)`);
      }
      frontier.push(Buffer.from(row.hash, 'hex'));
      prev = row.hash;
      seen = id;
      const c = checkpoints.get(id);
      if (c) {
        if (c.root !== frontier.root().toString('hex')) return bad(id, `the checkpoint signed for ${id} events has a different Merkle root (events up to ${id} were changed)`);
        if (c.head_hash !== row.hash) return bad(id, `the checkpoint signed for ${id} events names a different head hash`);
        if (key && !checkpointSignatureOk(key, c)) return bad(id, `the signature of the checkpoint for ${id} events is invalid (key ${c.key_id}; expected key ${key.keyId})`);
        checkpointsChecked++;
      }
      if (saved && id === saved.checkpoint.tree_size) {
        const problem = savedMismatch(saved, frontier.root().toString('hex'), row.hash);
        if (problem) return bad(id, problem);
      }
    }
  }
  if (saved && seen < saved.checkpoint.tree_size) {
    const c = saved.checkpoint;
    return bad(seen + 1, `the log holds ${seen} events, but the checkpoint saved in ${saved.label} (signed ${c.time}) covers ${c.tree_size}: ${seen + 1 === c.tree_size ? `event ${c.tree_size} was` : `events ${seen + 1}–${c.tree_size} were`} deleted (the chain was cut back) / 末尾のイベントが削除されています`);
  }
  const beyond = [...checkpoints.keys()].filter((s) => s > seen).sort((a, b) => a - b)[0];
  if (beyond !== undefined) return bad(seen + 1, `a checkpoint was signed for ${beyond} events but only ${seen} exist (events at the end were deleted)`);
  if (head && (Number(head.size) !== seen || head.last_hash !== prev)) {
    return bad(Math.min(Number(head.size), seen) + 1, `the chain head records ${Number(head.size)} events ending in ${head.last_hash.slice(0, 12)}…, but the log has ${seen} ending in ${prev.slice(0, 12)}… (events deleted or appended outside hiraga)`);
  }
  // The head's Merkle frontier must be the one of these events (a head row rewritten by hand to hide a cut usually is not).
  if (head && head.frontier !== frontier.toJson()) {
    return bad(seen, `the chain head's Merkle frontier does not match the ${seen} events (the head row was edited outside hiraga)`);
  }
  return { ok: true, events: seen, checkpoints: checkpointsChecked };
}

function savedMismatch(saved: SavedCheckpoint, root: string, headHash: string): string | null {
  const c = saved.checkpoint;
  if (c.root !== root || c.head_hash !== headHash) return `events up to ${c.tree_size} differ from the checkpoint saved in ${saved.label} (signed ${c.time}): they were changed or replaced`;
  return null;
}
