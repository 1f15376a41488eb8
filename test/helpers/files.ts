import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './cli.js';

/** Files under `dir` (recursively, relative to the repository unless absolute) whose paths match `pattern`, as `dir`-prefixed paths, sorted. */
export function sourceFiles(dir: string, pattern: RegExp): string[] {
  return fs
    .readdirSync(path.resolve(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => pattern.test(f))
    .map((f) => path.join(dir, f))
    .sort();
}
