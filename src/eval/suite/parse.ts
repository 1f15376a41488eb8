import crypto from 'node:crypto';
import { badInput } from '../../core/errors.js';
import { formatPath } from '../../config/load.js';
import { suiteItemSchema, type SuiteItem } from './schema.js';

export interface ParsedSuite {
  items: SuiteItem[];
  /** SHA-256 of the plain JSONL bytes (hex). */
  sha256: string;
  /** Line number of each item, by id (for messages). */
  lines: Map<string, number>;
}

/**
 * The suite's text, which must be UTF-8. Decoding leniently would turn a Shift_JIS file (as office tools often
 * save) into U+FFFD replacement characters the models are then asked about: fail with the first bad line instead.
 */
function decodeUtf8(buf: Buffer, name: string): string {
  const strict = new TextDecoder('utf-8', { fatal: true });
  try {
    return strict.decode(buf);
  } catch {
    let start = 0;
    for (let n = 1; ; n++) {
      const end = buf.indexOf(0x0a, start);
      try {
        strict.decode(buf.subarray(start, end < 0 ? buf.length : end));
      } catch {
        throw badInput(`${name} line ${n}: UTF-8 ではありません（Shift_JIS などは読めません）。UTF-8 で保存し直してください / not valid UTF-8: save the suite as UTF-8`);
      }
      if (end < 0) throw badInput(`${name}: not valid UTF-8`);
      start = end + 1;
    }
  }
}

/**
 * Parse a suite's JSONL text. Every line is validated; the first bad line fails the whole suite
 * with one message naming the file, the line and what is wrong. Blank lines and `//` comment lines are skipped.
 */
export function parseSuite(bytes: Buffer | string, name = 'suite'): ParsedSuite {
  const buf = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  const sha256 = crypto.createHash('sha256').update(buf).digest('hex');
  const lines = decodeUtf8(buf, name).replace(/^\uFEFF/, '').split(/\r?\n/);
  const items: SuiteItem[] = [];
  const seen = new Map<string, number>();
  /** Ids as they read (NFC): が typed as one character and as か + ゛ are one id to a reader of the report. */
  const readAs = new Map<string, number>();
  lines.forEach((raw, i) => {
    const n = i + 1;
    const line = raw.trim();
    if (!line || line.startsWith('//')) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw badInput(`${name} line ${n}: not valid JSON (${(err as Error).message})`);
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw badInput(`${name} line ${n}: expected a JSON object`);
    const parsed = suiteItemSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const where = formatPath(issue.path) || '(item)';
      const idPart = typeof (value as { id?: unknown }).id === 'string' ? ` (id "${(value as { id: string }).id}")` : '';
      throw badInput(`${name} line ${n}${idPart}: ${where}: ${issue.message}`);
    }
    const item = parsed.data;
    const dup = seen.get(item.id);
    if (dup !== undefined) throw badInput(`${name} line ${n}: id "${item.id}" is already used on line ${dup}; ids must be unique`);
    const lookalike = readAs.get(item.id.normalize('NFC'));
    if (lookalike !== undefined) throw badInput(`${name} line ${n}: id "${item.id}" reads the same as the id on line ${lookalike} (they differ only in Unicode normalisation); ids must be unique`);
    if (item.task === 'choice' && typeof item.expected.choice === 'number' && item.expected.choice >= item.choices.length) {
      throw badInput(`${name} line ${n} (id "${item.id}"): expected.choice = ${item.expected.choice} but there are only ${item.choices.length} choices (0-based)`);
    }
    if (item.task === 'choice' && typeof item.expected.choice === 'string' && !item.choices.includes(item.expected.choice)) {
      throw badInput(`${name} line ${n} (id "${item.id}"): expected.choice = "${item.expected.choice}" is not one of the choices`);
    }
    if (item.task === 'generation') {
      for (const r of item.expected.rubric) {
        if (!r.regex) continue;
        try {
          new RegExp(r.regex, 'u');
        } catch (err) {
          throw badInput(`${name} line ${n} (id "${item.id}"): rubric regex ${JSON.stringify(r.regex)} is invalid: ${(err as Error).message}`);
        }
      }
    }
    seen.set(item.id, n);
    readAs.set(item.id.normalize('NFC'), n);
    items.push(item);
  });
  if (!items.length) throw badInput(`${name}: the suite has no items`);
  return { items, sha256, lines: seen };
}
