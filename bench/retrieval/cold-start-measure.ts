import { execFileSync } from 'node:child_process';
import path from 'node:path';

const script = path.join(import.meta.dirname, 'cold-start.ts');

/** Median cold start over a few fresh processes (each loads the dictionary from scratch). */
export function coldStartMs(which: 'hiraga' | 'kuromoji', runs = 3): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const out = execFileSync(process.execPath, ['--import', 'tsx', script, which], { encoding: 'utf8' });
    times.push((JSON.parse(out.trim().split('\n').pop()!) as { ms: number }).ms);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}
