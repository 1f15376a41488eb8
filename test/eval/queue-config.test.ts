/**
 * Queue mode with a worker configured otherwise than the run (another price for the same model id): the run
 * says so (stderr, results.json run.config_mismatch, the report) instead of mixing settings silently, and the
 * next run reruns those items. Real `hiraga` processes, a SQLite data dir they share, real Redis.
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisOptions } from '../../src/eval/queue/jobs.js';
import { BIN, ROOT, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/store.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';

const REDIS_URL = process.env.HIRAGA_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function reachable(url: string): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const s = net.connect(Number(u.port || 6379), u.hostname);
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
    s.setTimeout(1000, () => (s.destroy(), resolve(false)));
  });
}
const redisUp = await reachable(REDIS_URL);

let up: Upstream;
let dir: string;
beforeAll(async () => {
  up = await startUpstream({ reply: () => '東京です。' });
  dir = tempDir('hiraga-eval-qcfg-');
});
afterAll(async () => {
  await up?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe.runIf(redisUp)('eval queue mode: a worker with other model settings', () => {
  it('is reported, and its results are rerun by the next run', async () => {
    const config = (name: string, price: number) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, JSON.stringify({ models: [{ id: 'up', provider: 'openai-compatible', baseUrl: up.url, model: 'upstream-model', clearance: 3, retries: 0, priceOutputPer1k: price }], defaultModel: 'up' }));
      return file;
    };
    const runCfg = config('run.json', 2);
    const workerCfg = config('worker.json', 20);
    const suite = path.join(dir, 'suite.jsonl');
    fs.writeFileSync(suite, ['q1', 'q2'].map((id) => JSON.stringify({ id, task: 'qa', input: `首都は？（${id}）`, expected: { answer: '東京' } })).join('\n') + '\n');
    const queue = `hiraga-eval-test-${crypto.randomBytes(4).toString('hex')}`;
    const env = { HIRAGA_DATA_DIR: path.join(dir, 'data'), HIRAGA_REDIS_URL: REDIS_URL, HIRAGA_DATABASE_URL: '', HIRAGA_LOG_LEVEL: 'warn' };

    const worker = spawn(process.execPath, [BIN, '--config', workerCfg, 'eval', 'worker', '--queue', queue, '--concurrency', '1'], { cwd: ROOT, env: { ...process.env, HIRAGA_CONFIG: '', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let werr = '';
    worker.stderr!.on('data', (d) => (werr += d));
    const exited = new Promise((r) => worker.on('exit', r));
    try {
      for (let t = Date.now(); !/eval worker on queue/.test(werr); ) {
        if (Date.now() - t > 60_000) throw new Error(`worker did not start: ${werr}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const out = path.join(dir, 'out-mixed');
      const r = await runCli(['--config', runCfg, 'eval', 'run', suite, '--models', 'up', '--out', out, '--queue', queue, '--no-local-worker', '--no-pdf'], { env });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/hiraga: warning: 2 results were stored by a worker whose model or eval settings differ/);
      const doc = JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8'));
      expect(doc.run.config_mismatch).toBe(2);
      expect(fs.readFileSync(path.join(out, 'report.html'), 'utf8')).toContain('設定の異なるワーカーの結果 2 件');
    } finally {
      worker.kill('SIGTERM');
      await exited;
    }
    // The run's own (local) worker: the two results measured under the worker's settings are run again.
    const again = await runCli(['--config', runCfg, 'eval', 'run', suite, '--models', 'up', '--out', path.join(dir, 'out-again'), '--queue', queue, '--no-pdf'], { env });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toBe('');
    expect(again.stdout).toContain('2 run, 0 cached, 0 failed');
    const q = new Queue(queue, { connection: redisOptions(REDIS_URL) });
    await q.obliterate({ force: true });
    await q.close();
  }, 180_000);
});
