import fs from 'node:fs';
import { badInput } from '../core/errors.js';
import { LOG_ID, type Checkpoint } from './checkpoint.js';

const isCheckpoint = (v: unknown): v is Checkpoint => {
  const c = v as Partial<Checkpoint> | null;
  return (
    typeof c === 'object' && c !== null && c.kind === 'checkpoint' && c.log === LOG_ID &&
    Number.isInteger(c.tree_size) && (c.tree_size as number) >= 0 &&
    typeof c.root === 'string' && typeof c.head_hash === 'string' && typeof c.time === 'string' && typeof c.key_id === 'string' && typeof c.signature === 'string'
  );
};

/**
 * A signed checkpoint saved earlier: the output of `hiraga audit checkpoint` (one JSON object), or an export
 * of `hiraga audit export` (its last checkpoint line, the one the export was cut at).
 */
export function readCheckpointFile(file: string): Checkpoint {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw badInput(`--checkpoint ${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const candidates: unknown[] = [];
  try {
    candidates.push(JSON.parse(text));
  } catch {
    for (const line of text.split('\n')) {
      if (!line.includes('"checkpoint"')) continue;
      try {
        candidates.push(JSON.parse(line));
      } catch {
        /* not a JSON line */
      }
    }
  }
  const found = candidates.filter(isCheckpoint).at(-1);
  if (!found) throw badInput(`--checkpoint ${file}: no signed checkpoint in it; save one with \`hiraga audit checkpoint > FILE\` (or give an export)`);
  return found;
}
