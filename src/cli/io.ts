import readline from 'node:readline';
import { badInput } from '../core/errors.js';

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

export function printLine(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + '\n');
}

/** Read all of stdin as text. */
export async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Read JSON objects, one per line, from stdin. Each bad line is reported with its line number
 * through `onBadLine` (so a batch continues), blank lines are skipped.
 */
export async function* readJsonl(): AsyncGenerator<{ line: number; value: Record<string, unknown> } | { line: number; error: string }> {
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  let n = 0;
  for await (const line of rl) {
    n++;
    // Files saved by Windows tools start with a byte-order mark.
    const raw = n === 1 ? line.replace(/^\uFEFF/, '') : line;
    if (!raw.trim()) continue;
    try {
      const v = JSON.parse(raw);
      if (!v || typeof v !== 'object' || Array.isArray(v)) yield { line: n, error: `line ${n}: expected a JSON object` };
      else yield { line: n, value: v as Record<string, unknown> };
    } catch (err) {
      yield { line: n, error: `line ${n}: not valid JSON (${(err as Error).message})` };
    }
  }
}

/** Require a string field of a JSONL record. */
export function field(value: Record<string, unknown>, name: string, line: number): string {
  const v = value[name];
  if (typeof v !== 'string' || !v.trim()) throw badInput(`line ${line}: "${name}" must be a non-empty string`);
  return v;
}

/** A simple progress bar on stderr, only on a TTY. */
export function progressBar(label: string): { update(done: number, total: number, note?: string): void; done(): void } {
  const tty = process.stderr.isTTY;
  let last = 0;
  return {
    update(done, total, note = '') {
      if (!tty) return;
      const now = Date.now();
      if (now - last < 80 && done < total) return;
      last = now;
      const width = 24;
      const filled = total ? Math.round((done / total) * width) : 0;
      const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
      process.stderr.write(`\r${label} ${bar} ${done}/${total} ${note.slice(0, 40).padEnd(40)}`);
    },
    done() {
      if (tty) process.stderr.write('\r' + ' '.repeat(100) + '\r');
    },
  };
}
