/**
 * The result cache is keyed by suite, model id and item — and must not serve results measured under other
 * settings: re-pointing a model id at another server or changing its prices or watts reran nothing and the
 * report showed the old model's answers and costs. Real CLI, SQLite store, scripted local upstream.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/store.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';

let a: Upstream;
let b: Upstream;
let dir: string;
let suite: string;

const rows = [
  { id: 'q1', task: 'qa', input: '日本の首都はどこですか。', expected: { answer: '東京' } },
  { id: 'q2', task: 'qa', input: '富士山の高さは何メートルですか。', expected: { answer: '3776', accept: ['3,776'] } },
];

function config(name: string, model: Record<string, unknown>): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify({ models: [{ id: 'up', provider: 'openai-compatible', model: 'upstream-model', clearance: 3, retries: 0, ...model }], defaultModel: 'up' }));
  return file;
}
const run = (cfg: string, out: string) =>
  runCli(['--config', cfg, '--data-dir', path.join(dir, 'data'), 'eval', 'run', suite, '--models', 'up', '--concurrency', '1', '--out', path.join(dir, out), '--no-pdf'], {
    env: { HIRAGA_REDIS_URL: '', HIRAGA_DATABASE_URL: '' },
  });
const doc = (out: string) => JSON.parse(fs.readFileSync(path.join(dir, out, 'results.json'), 'utf8'));

beforeAll(async () => {
  a = await startUpstream({ reply: (body) => (String(body.messages.at(-1).content).includes('首都') ? '東京です。' : '3,776メートルです。') });
  b = await startUpstream({ reply: () => '分かりません。' });
  dir = tempDir('hiraga-eval-cache-');
  suite = path.join(dir, 'suite.jsonl');
  fs.writeFileSync(suite, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
});
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  if (dir) fs.rmSync(dir, { recursive: true, force: true }); // vitest's workers may not run tempDir's exit hook
});

describe('eval cache and model settings', () => {
  it('reruns a model whose server or prices changed, reuses results when only operational settings changed', async () => {
    const first = await run(config('a.json', { baseUrl: a.url, priceInputPer1k: 1, priceOutputPer1k: 2 }), 'out-a');
    expect(first.code, first.stderr).toBe(0);
    const d1 = doc('out-a');
    expect(d1.run).toMatchObject({ executed: 2, cached: 0 });
    expect(d1.models[0].metrics.accuracy).toBe(1);
    // Cost by hand from the recorded tokens: (prompt × 1 + completion × 2) / 1000.
    const cost = (d: any, pin: number, pout: number) => d.models[0].items.reduce((s: number, r: any) => s + (r.prompt_tokens * pin + r.completion_tokens * pout) / 1000, 0);
    expect(d1.models[0].metrics.cost_jpy).toBeCloseTo(cost(d1, 1, 2), 6);

    // Same id, ten times the output price: the old cost must not be reported.
    const priced = await run(config('a-priced.json', { baseUrl: a.url, priceInputPer1k: 1, priceOutputPer1k: 20 }), 'out-a-priced');
    expect(priced.code, priced.stderr).toBe(0);
    const d2 = doc('out-a-priced');
    expect(d2.run).toMatchObject({ executed: 2, cached: 0 });
    expect(d2.models[0].metrics.cost_jpy).toBeCloseTo(cost(d2, 1, 20), 6);
    expect(d2.models[0].config_sha256).not.toBe(d1.models[0].config_sha256);

    // Only retries and timeout changed: nothing is measured differently, everything comes from the cache.
    const again = await run(config('a-priced-ops.json', { baseUrl: a.url, priceInputPer1k: 1, priceOutputPer1k: 20, retries: 1, timeoutMs: 30_000 }), 'out-a-ops');
    expect(again.code, again.stderr).toBe(0);
    expect(doc('out-a-ops').run).toMatchObject({ executed: 0, cached: 2 });
    expect(doc('out-a-ops').models[0].metrics).toEqual(d2.models[0].metrics);

    // Same id pointed at another server (another model): its answers, not the cached ones.
    const other = await run(config('b.json', { baseUrl: b.url, priceInputPer1k: 1, priceOutputPer1k: 20 }), 'out-b');
    expect(other.code, other.stderr).toBe(0);
    const d3 = doc('out-b');
    expect(d3.run).toMatchObject({ executed: 2, cached: 0 });
    expect(d3.models[0].metrics.accuracy).toBe(0);
    expect(d3.models[0].items.map((r: any) => r.output)).toEqual(['分かりません。', '分かりません。']);
  }, 120_000);
});
