import type { Kysely } from 'kysely';
import crypto from 'node:crypto';
import type { Database } from '../store/database.js';
import { canonicalJson } from './canonical.js';
import { checkpointFromRow, LOG_ID, type Checkpoint } from './checkpoint.js';
import type { SigningKey } from './keys.js';
import { applyFilter, type AuditFilter } from './query.js';

/** The first line of an export: which events it holds, signed, so deleted, added or reordered lines show. */
export interface ExportManifest {
  kind: 'export';
  log: string;
  filter: AuditFilter;
  /** The signed checkpoint the export is cut at. */
  tree_size: number;
  count: number;
  /** Event ids in the export, as inclusive [first, last] ranges. */
  ranges: [number, number][];
  /** SHA-256 over the event hashes (hex), each followed by "\n", in export order. */
  events_sha256: string;
  time: string;
  key_id: string;
  signature: string;
}

export function manifestStatement(m: Omit<ExportManifest, 'signature'>): string {
  const { signature: _s, ...body } = m as ExportManifest;
  return canonicalJson(body);
}

const PAGE = 10_000;

/**
 * Export the events up to `checkpoint` matching `filter`: the signed manifest line, then one JSON
 * event per line (its hashed fields plus `hash`), with every signed checkpoint after the event it covers.
 */
export async function* exportLines(db: Kysely<Database>, key: SigningKey, checkpoint: Checkpoint, filter: Omit<AuditFilter, 'maxId'>): AsyncGenerator<string> {
  const f: AuditFilter = { ...filter, maxId: checkpoint.tree_size };
  // Pass 1: ids and hashes, for the manifest.
  const digest = crypto.createHash('sha256');
  const ranges: [number, number][] = [];
  let count = 0;
  for (let after = 0; ; ) {
    const rows = await applyFilter(db.selectFrom('audit_events').select(['id', 'hash']), f).where('id', '>', after).orderBy('id').limit(PAGE).execute();
    if (!rows.length) break;
    for (const r of rows) {
      const id = Number(r.id);
      const last = ranges[ranges.length - 1];
      if (last && last[1] === id - 1) last[1] = id;
      else ranges.push([id, id]);
      digest.update(`${r.hash}\n`);
      count++;
      after = id;
    }
  }
  const body: Omit<ExportManifest, 'signature'> = {
    kind: 'export',
    log: LOG_ID,
    filter: JSON.parse(JSON.stringify(filter)) as AuditFilter,
    tree_size: checkpoint.tree_size,
    count,
    ranges,
    events_sha256: digest.digest('hex'),
    time: new Date().toISOString(),
    key_id: key.keyId,
  };
  yield canonicalJson({ ...body, signature: key.sign(manifestStatement(body)) });

  // Pass 2: the events, with the checkpoints interleaved.
  const checkpoints = (await db.selectFrom('audit_checkpoints').selectAll().where('tree_size', '<=', checkpoint.tree_size).orderBy('tree_size').execute()).map(checkpointFromRow);
  let ci = 0;
  for (let after = 0; ; ) {
    const rows = await applyFilter(db.selectFrom('audit_events').select(['id', 'record', 'hash']), f).where('id', '>', after).orderBy('id').limit(PAGE).execute();
    if (!rows.length) break;
    for (const r of rows) {
      const id = Number(r.id);
      while (ci < checkpoints.length && checkpoints[ci]!.tree_size < id) yield canonicalJson(checkpoints[ci++]);
      yield canonicalJson({ ...JSON.parse(r.record), hash: r.hash });
      after = id;
    }
  }
  while (ci < checkpoints.length) yield canonicalJson(checkpoints[ci++]);
}
