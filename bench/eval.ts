/**
 * Evaluation harness benchmark: items/s through the real governed pipeline against a local
 * OpenAI-compatible upstream at concurrency 1, 8 and 64, and the harness's own overhead per item
 * (goal < 1 ms) against a bare loop that makes the same pipeline calls in the same run.
 * Also: pure harness cost with an instant in-memory model (scoring + cache writes, nothing else).
 * Run: npm run bench:eval [-- --items 400]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config/load.js';
import { createRuntime } from '../src/gateway/runtime.js';
import type { GovernedRequest, GovernedResult } from '../src/gateway/types.js';
import { runEval } from '../src/eval/runner/run.js';
import { runPool } from '../src/eval/runner/pool.js';
import { parseSuite } from '../src/eval/suite/parse.js';
import { openStore } from '../src/store/open.js';
import { startUpstream } from '../test/helpers/upstream.js';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const ITEMS = arg('items', 400);
const settings = { minSupport: 0.5, biasMinSimilarity: 0.6, proofreadMinSimilarity: 0.5, judgeRepeats: 1 };
const actor = { user: 'bench', role: 'staff' as const, tenant: 'default' };

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hiraga-bench-eval-'));
const up = await startUpstream({ reply: (body) => `答えは${String(body.messages.at(-1).content).replace(/[^0-9]/g, '')}番です。` });
const config = loadConfig({
  env: {},
  dataDir: dir,
  cwd: dir,
  overrides: { models: [{ id: 'up', provider: 'openai-compatible', baseUrl: up.url, model: 'upstream-model', origin: 'domestic', hosting: 'on-prem', clearance: 3, watts: 300, maxConcurrency: 64, priceInputPer1k: 0.1, priceOutputPer1k: 0.2 }] },
});
const store = await openStore(config.store);
const rt = await createRuntime(config, store);

const suite = (tag: string) =>
  parseSuite(Array.from({ length: ITEMS }, (_, i) => JSON.stringify({ id: `q${i}`, task: 'qa', input: `${tag} 質問${i}番の答えは何番ですか`, expected: { answer: `${i}番` } })).join('\n'));

const request = (item: { input: string }): GovernedRequest => ({ actor, model: 'up', messages: [{ role: 'user', content: item.input }], app: 'eval', temperature: 0 });

async function bare(concurrency: number, tag: string): Promise<number> {
  const s = suite(tag);
  const t = performance.now();
  await runPool(s.items.length, concurrency, async (i) => {
    await rt.pipeline.run(request(s.items[i] as { input: string }));
  });
  return performance.now() - t;
}

async function harness(concurrency: number, tag: string, run = (r: GovernedRequest) => rt.pipeline.run(r)): Promise<{ ms: number; correct: number }> {
  const s = suite(tag);
  const t = performance.now();
  const out = await runEval({ items: s.items, suiteSha256: s.sha256, models: ['up'], concurrency, store, deps: { run, actor, settings } });
  const ms = performance.now() - t;
  return { ms, correct: out.results.get('up')!.filter((r) => r.correct).length };
}

await bare(8, 'warmup');
await harness(8, 'warmup');
const lines: string[] = [];
const log = (s: string) => (lines.push(s), process.stdout.write(s + '\n'));
log(`eval bench: ${ITEMS} qa items, upstream ${up.url}, store ${store.describe}, ${os.cpus().length} CPUs, node ${process.version}`);
log('| concurrency | bare loop items/s | harness items/s | overhead per item (ms) | correct |');
log('|---:|---:|---:|---:|---:|');
for (const c of [1, 8, 64]) {
  // Interleaved and repeated, best of 3 each: the machine is shared, so single runs are noisy.
  let b = Infinity;
  let h = { ms: Infinity, correct: 0 };
  for (let k = 0; k < 3; k++) {
    b = Math.min(b, await bare(c, `b${c}-${k}`));
    const r = await harness(c, `h${c}-${k}`);
    if (r.ms < h.ms) h = r;
  }
  // Wall-time difference per item; at concurrency > 1 the harness work overlaps with waiting on the upstream.
  log(`| ${c} | ${((ITEMS / b) * 1000).toFixed(0)} | ${((ITEMS / h.ms) * 1000).toFixed(0)} | ${((h.ms - b) / ITEMS).toFixed(3)} | ${h.correct}/${ITEMS} |`);
}

// Pure harness cost: an instant model, so all time is pool + scoring + batched cache writes.
const instant = async (r: GovernedRequest): Promise<GovernedResult> => ({
  model: rt.models.get('up').info,
  content: `答えは${r.messages.at(-1)!.content.replace(/[^0-9]/g, '')}番です。`,
  usage: { prompt_tokens: 10, completion_tokens: 8, total_tokens: 18 },
  confidentiality: 1,
  policy: 'allow',
  masked: [],
  flags: [],
  auditId: 0,
  costJpy: 0,
  energyWh: 0,
  latencyMs: 0,
});
const n = ITEMS;
let pure = { ms: Infinity, correct: 0 };
for (let k = 0; k < 3; k++) {
  const r = await harness(1, `pure-${k}`, instant);
  if (r.ms < pure.ms) pure = r;
}
log(`pure harness (instant model, concurrency 1): ${(pure.ms / n).toFixed(3)} ms per item incl. scoring and cache writes (${pure.correct}/${n} correct)`);

await rt.close();
await store.close();
await up.close();
fs.rmSync(dir, { recursive: true, force: true });
