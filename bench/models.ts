/**
 * Model-layer overhead: time-to-first-token and tokens/s through hiraga's provider layer
 * (registry → streamModel: breaker, concurrency slot, timeout, usage, cost, energy) vs the bare `openai`
 * client, in the same run, against the same local streaming server (a child process, so the server's work
 * does not share this event loop). Runs are interleaved so drift affects both sides equally.
 *
 *   npm run bench:models [-- --runs 40 --words 1500]
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import OpenAI from 'openai';
import { modelSchema } from '../src/config/sections/models.js';
import { createRegistry } from '../src/models/registry.js';
import { streamModel } from '../src/models/resilience/call.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const RUNS = arg('runs', 40);
const WORDS = arg('words', 1500);
const PORT = arg('port', 9177);


const root = path.resolve(import.meta.dirname, '..');
const children: ReturnType<typeof spawn>[] = [];
async function startServer(port: number, chunkDelayMs: number): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'test/helpers/upstream.ts'), '--port', String(port), '--chunk-delay-ms', String(chunkDelayMs)], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('listening') && resolve());
    child.on('exit', (code) => reject(new Error(`upstream on port ${port} exited (${code})`)));
  });
  return `http://127.0.0.1:${port}/v1`;
}

interface Run {
  ttftMs: number;
  totalMs: number;
  tokens: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

/** One scenario: the same streamed request through the bare client and through hiraga, interleaved. */
async function scenario(baseURL: string, words: number, runs: number) {
  // The upstream echoes the message, so a long message gives a long streamed reply (~1 piece per word).
  const messages = [{ role: 'user' as const, content: Array.from({ length: words }, (_, i) => `語${i % 97}`).join(' ') }];
  const bare = new OpenAI({ baseURL, apiKey: 'bench', maxRetries: 0 });
  const registry = createRegistry({
    models: [modelSchema.parse({ id: 'bench', provider: 'openai-compatible', baseUrl: baseURL, model: 'upstream-model', apiKey: 'bench', watts: 300 })],
    defaultModel: 'bench',
  });
  async function runBare(): Promise<Run> {
    const t0 = performance.now();
    let ttft = -1;
    let tokens = 0;
    const stream = await bare.chat.completions.create({ model: 'upstream-model', messages, stream: true, stream_options: { include_usage: true } });
    for await (const chunk of stream) {
      if (ttft < 0 && chunk.choices[0]?.delta?.content) ttft = performance.now() - t0;
      if (chunk.usage) tokens = chunk.usage.completion_tokens;
    }
    return { ttftMs: ttft, totalMs: performance.now() - t0, tokens };
  }
  async function runHiraga(): Promise<Run> {
    const t0 = performance.now();
    let ttft = -1;
    let tokens = 0;
    for await (const d of streamModel(registry, 'bench', { messages })) {
      if (d.type === 'text') {
        if (ttft < 0) ttft = performance.now() - t0;
      } else tokens = d.call.usage.completion_tokens;
    }
    return { ttftMs: ttft, totalMs: performance.now() - t0, tokens };
  }
  for (let i = 0; i < 3; i++) {
    await runBare();
    await runHiraga();
  }
  const bareRuns: Run[] = [];
  const hiragaRuns: Run[] = [];
  for (let i = 0; i < runs; i++) {
    // Alternate which side goes first, so drift and a busy machine hit both equally.
    if (i % 2) {
      bareRuns.push(await runBare());
      hiragaRuns.push(await runHiraga());
    } else {
      hiragaRuns.push(await runHiraga());
      bareRuns.push(await runBare());
    }
  }
  const summary = (rs: Run[]) => ({
    ttftMs: median(rs.map((r) => r.ttftMs)),
    totalMs: median(rs.map((r) => r.totalMs)),
    tokensPerS: median(rs.map((r) => r.tokens / (r.totalMs / 1000))),
    tokens: rs[0]!.tokens,
  });
  return { runs, bare: summary(bareRuns), hiraga: summary(hiragaRuns) };
}

const f = (n: number, d = 3) => n.toFixed(d);
function report(title: string, r: Awaited<ReturnType<typeof scenario>>) {
  const { bare: b, hiraga: h } = r;
  console.log(`${title}: ${r.runs} interleaved runs, ${b.tokens} completion tokens each`);
  console.log(`  baseline  bare openai client : TTFT median ${f(b.ttftMs)} ms, ${f(b.tokensPerS, 0)} tokens/s`);
  console.log(`  hiraga    provider layer     : TTFT median ${f(h.ttftMs)} ms, ${f(h.tokensPerS, 0)} tokens/s`);
  console.log(
    `  added TTFT ${f(h.ttftMs - b.ttftMs)} ms (goal < 1 ms); throughput ratio hiraga/bare ${f(h.tokensPerS / b.tokensPerS)}; ` +
      `added CPU per token ${f(((h.totalMs - b.totalMs) / b.tokens) * 1000, 2)} µs`,
  );
}

const saturated = await scenario(await startServer(PORT, 0), WORDS, RUNS);
const paced = await scenario(await startServer(PORT + 1, 1), 300, Math.max(6, Math.floor(RUNS / 2)));
for (const c of children) c.kill('SIGTERM');
console.log('bench:models — local OpenAI-compatible streaming server in a child process (test/helpers/upstream.ts, echo, not a model)');
report('saturated (server sends as fast as it can: measures pure per-token overhead)', saturated);
report('paced (1 ms between pieces, ~a fast GPU model)', paced);
process.exit(0);
