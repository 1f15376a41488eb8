import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { tempDir } from '../helpers/store.js';

const PROBE = path.join(ROOT, 'bench', 'support', 'heap-probe.mjs');

// A process that allocates short-lived garbage (young collections), then keeps 40 MB alive and lets it
// go (a full collection), then waits past the probe's once-a-second flush.
const WORKLOAD = `
let keep = [];
for (let i = 0; i < 2e6; i++) keep = [{ i, s: String(i) }];
let big = Array.from({ length: 400 }, () => new Array(12500).fill(0).map((_, k) => ({ k })));
big = null;
for (let i = 0; i < 2e6; i++) keep = [{ i, s: String(i) }];
setTimeout(() => {}, 1500);
`;

describe('bench heap probe: GC pauses', () => {
  it('records young and full collections of the process it is loaded into, with their time and pause', async () => {
    const dir = tempDir('heap-probe-');
    const file = path.join(dir, 'gc.jsonl');
    const before = Date.now();
    await promisify(execFile)(process.execPath, ['--import', PROBE, '--input-type=module', '-e', WORKLOAD], { cwd: ROOT, env: { ...process.env, HIRAGA_BENCH_GC_FILE: file } });
    const after = Date.now();
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as [number, string, number]);
    const young = lines.filter(([, kind]) => kind === 'young');
    const full = lines.filter(([, kind]) => kind === 'full');
    expect(young.length).toBeGreaterThan(3);
    expect(full.length).toBeGreaterThan(0);
    for (const [t, kind, ms] of lines) {
      expect(['young', 'full', 'incremental', 'weak', 'other']).toContain(kind);
      expect(t).toBeGreaterThanOrEqual(before - 1000);
      expect(t).toBeLessThanOrEqual(after);
      expect(ms).toBeGreaterThanOrEqual(0);
      expect(ms).toBeLessThan(5000);
    }
  }, 60_000);

  it('writes nothing without HIRAGA_BENCH_GC_FILE', async () => {
    const dir = tempDir('heap-probe-');
    const { HIRAGA_BENCH_GC_FILE: _unused, ...env } = process.env;
    await promisify(execFile)(process.execPath, ['--import', PROBE, '--input-type=module', '-e', 'let k = []; for (let i = 0; i < 1e6; i++) k = [{ i }];'], { cwd: dir, env });
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
