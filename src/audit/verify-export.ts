import crypto from 'node:crypto';
import { canonicalJson, sha256Hex } from './canonical.js';
import { checkpointSignatureOk, type Checkpoint } from './checkpoint.js';
import { manifestStatement, type ExportManifest } from './export.js';
import type { VerifyKey } from './keys.js';
import { Frontier } from './merkle.js';
import { GENESIS_HASH } from './record.js';

export interface ExportReport {
  ok: boolean;
  events: number;
  checkpoints: number;
  /** The first bad line (1-based) and, when it is an event, its id. */
  firstBad?: { line: number; id?: number; problem: string };
}

/** Expected ids, walked from the manifest's ranges. */
function* idsOf(ranges: [number, number][]): Generator<number> {
  for (const [a, b] of ranges) for (let i = a; i <= b; i++) yield i;
}

/**
 * Check an export offline with only the public key: the signed manifest (line 1), every event's hash
 * over its own fields, the ids against the manifest (deleted, added or reordered lines), the prev_hash
 * links between consecutive ids, every checkpoint's signature and — when the export starts at event 1
 * and has no gaps — every checkpoint's Merkle root recomputed from the events.
 */
export async function verifyExport(lines: AsyncIterable<string> | Iterable<string>, key: VerifyKey): Promise<ExportReport> {
  let lineNo = 0;
  let manifest: ExportManifest | null = null;
  let expected: Generator<number> | null = null;
  let contiguous = false;
  let events = 0;
  let checkpoints = 0;
  let cutSigned = false;
  let prev: { id: number; hash: string } | null = null;
  const frontier = new Frontier(0, []);
  const digest = crypto.createHash('sha256');
  const bad = (problem: string, id?: number): ExportReport => ({
    ok: false,
    events,
    checkpoints,
    firstBad: { line: lineNo, ...(id !== undefined ? { id } : {}), problem },
  });

  for await (const raw of lines) {
    lineNo++;
    if (!raw.trim()) return bad('empty line (lines may not be added or removed)');
    let obj: Record<string, any>;
    try {
      obj = JSON.parse(raw);
    } catch {
      return bad('not valid JSON (edited)');
    }
    if (!manifest) {
      if (obj.kind !== 'export') return bad('the first line must be the signed export manifest (missing or moved)');
      if (obj.key_id !== key.keyId) return bad(`the manifest was signed with key ${String(obj.key_id)}, not with the given public key ${key.keyId}`);
      if (typeof obj.signature !== 'string' || !key.verify(manifestStatement(obj as ExportManifest), obj.signature)) return bad('the export manifest signature is invalid (manifest edited)');
      manifest = obj as ExportManifest;
      expected = idsOf(manifest.ranges);
      contiguous = manifest.ranges.length === 0 || (manifest.ranges.length === 1 && manifest.ranges[0]![0] === 1);
      continue;
    }
    if (obj.kind === 'checkpoint') {
      const c = obj as Checkpoint;
      if (!checkpointSignatureOk(key, c)) return bad(`the checkpoint for ${String(c.tree_size)} events has an invalid signature (edited)`);
      if (contiguous && c.tree_size <= manifest.tree_size) {
        if (frontier.size !== c.tree_size) return bad(`the checkpoint for ${c.tree_size} events follows event ${frontier.size} (lines deleted, added or reordered)`);
        if (frontier.root().toString('hex') !== c.root) return bad(`the Merkle root of the ${c.tree_size} events above differs from the signed checkpoint (events edited)`);
      }
      if (c.tree_size === manifest.tree_size) cutSigned = true;
      checkpoints++;
      continue;
    }
    const { hash, ...fields } = obj;
    const id = typeof fields.id === 'number' ? fields.id : undefined;
    if (typeof hash !== 'string' || sha256Hex(canonicalJson(fields)) !== hash) return bad(`event ${String(id)}: hash does not match the line's fields (edited)`, id);
    const want = expected!.next();
    if (want.done) return bad(`event ${String(id)} is not listed in the signed manifest (line added)`, id);
    if (id !== want.value) return bad(`expected event ${want.value} here but found event ${String(id)} (lines deleted, added or reordered)`, id);
    if (prev && prev.id === id - 1 && fields.prev_hash !== prev.hash) return bad(`event ${id}: prev_hash does not match the hash of event ${prev.id} on the line above`, id);
    if (id === 1 && fields.prev_hash !== GENESIS_HASH) return bad('event 1: prev_hash is not the genesis hash', id);
    if (contiguous) frontier.push(Buffer.from(hash, 'hex'));
    digest.update(`${hash}\n`);
    prev = { id, hash };
    events++;
  }
  lineNo++;
  if (!manifest) return bad('the export is empty: no manifest line');
  if (!expected!.next().done) return bad(`the file ends after ${events} events but the signed manifest lists ${manifest.count} (lines deleted at the end)`);
  if (!cutSigned && manifest.tree_size > 0) return bad(`the signed checkpoint for ${manifest.tree_size} events that the manifest names is missing (line deleted)`);
  if (digest.digest('hex') !== manifest.events_sha256) return bad('the events differ from those the manifest signed (events replaced with recomputed hashes)');
  return { ok: true, events, checkpoints };
}
