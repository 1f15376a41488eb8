import fs from 'node:fs';
import crypto from 'node:crypto';
import { badInput } from '../../core/errors.js';
import { VERSION } from '../../cli/main.js';
import { withContext, type GlobalOptions } from '../../cli/context.js';
import { progressBar } from '../../cli/io.js';
import { generateKey, isSealed, sealSuite } from '../suite/seal.js';
import { parseSuite } from '../suite/parse.js';
import { evalRun, settingsFrom } from './run-command.js';
import { createEvalRuntime } from './runtime.js';
import { failureLines, failureRedactor, modelFailures } from './failures.js';
import { fingerprints } from '../fingerprint.js';

/** Ctrl-C stops taking new items, lets in-flight ones finish and be saved; a second Ctrl-C exits at once. */
function interruptSignal(): { signal: AbortSignal; dispose(): void } {
  const ac = new AbortController();
  const onSig = () => {
    if (ac.signal.aborted) process.exit(130);
    process.stderr.write('\n中断します: 実行中の項目を保存しています（再実行で続きから）/ stopping: saving items in flight (rerun to continue)\n');
    ac.abort();
  };
  process.on('SIGINT', onSig);
  process.on('SIGTERM', onSig);
  return { signal: ac.signal, dispose: () => (process.off('SIGINT', onSig), process.off('SIGTERM', onSig)) };
}

export async function runEvalCli(
  global: GlobalOptions,
  suite: string,
  opts: { models: string[]; out: string; concurrency?: number; key?: string; fresh?: boolean; pdf: boolean; queue: string; localWorker: boolean },
): Promise<void> {
  await withContext(global, async (ctx) => {
    const store = await ctx.store();
    const runtime = await createEvalRuntime(ctx.config, store);
    const bar = progressBar('eval');
    const stop = interruptSignal();
    try {
      const redisUrl = ctx.config.redis;
      const r = await evalRun(ctx.config, store, runtime, {
        suite,
        models: opts.models,
        out: opts.out,
        concurrency: opts.concurrency ?? ctx.config.eval.concurrency,
        ...(opts.key ? { key: opts.key } : {}),
        ...(opts.fresh ? { fresh: true } : {}),
        pdf: opts.pdf,
        ...(redisUrl ? { queue: { redisUrl, name: opts.queue, localWorkers: opts.localWorker } } : {}),
        signal: stop.signal,
        onProgress: (d, t, note) => bar.update(d, t, note),
        version: VERSION,
      });
      bar.done();
      const out = process.stdout;
      out.write(`suite ${r.doc.suite.path}  sha256 ${r.doc.suite.sha256}  ${r.doc.suite.items} items${r.doc.suite.sealed ? ' (sealed)' : ''}\n`);
      const failures = modelFailures(r.doc);
      for (const [i, m] of r.doc.models.entries()) {
        const x = m.metrics;
        const f = failures[i]!;
        const p = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
        const note = f.failed ? `  failed ${f.failed}/${f.items}${f.unmeasured ? ' (not measured)' : ''}` : '';
        out.write(`${m.id.padEnd(16)} accuracy ${p(x.accuracy)}  citation ${p(x.citation_accuracy)}  hallucination ${p(x.hallucination_rate)}  abstention ${p(x.abstention_recall)}  refusal ${p(x.refusal_rate)}  bias ${p(x.bias_consistency)}  p50 ${x.latency_ms_p50 ?? '—'} ms  ${x.cost_jpy} 円${m.tokens_estimated ? ' (推定 estimated)' : ''}  ${x.energy_wh} Wh${note}\n`);
      }
      const run = r.doc.run;
      out.write(`${run.executed} run, ${run.cached} cached, ${run.failed} failed${run.interrupted ? ' — interrupted: rerun the same command to continue' : ''}\n`);
      out.write(`wrote ${r.files.results}, ${r.files.report}${r.files.pdf ? `, ${r.files.pdf}` : ''}\n`);
      if (r.pdfNote && opts.pdf) process.stderr.write(`hiraga: note: PDF not written: ${r.pdfNote}\n`);
      // Failed items are in results.json and the report; say so here too, and fail when a model measured nothing.
      const redactor = failureRedactor(ctx.config);
      for (const line of failureLines(failures, (t) => redactor.redact(t))) process.stderr.write(line);
      if (run.config_mismatch) {
        process.stderr.write(`hiraga: warning: ${run.config_mismatch} results were stored by a worker whose model or eval settings differ from this run's (config_sha256); make the workers' configuration the same — the next run reruns them / 設定の異なるワーカーの結果が含まれます\n`);
      }
      if (run.interrupted) process.exitCode = 130;
      else if (failures.some((f) => f.unmeasured)) process.exitCode = 1;
    } finally {
      bar.done();
      stop.dispose();
      await runtime.close();
    }
  });
}

export function sealCli(suite: string, opts: { out?: string; key?: string }): void {
  let plain: Buffer;
  try {
    plain = fs.readFileSync(suite);
  } catch (err) {
    throw badInput(`cannot read the suite ${suite}: ${(err as Error).message}`);
  }
  if (isSealed(plain)) throw badInput(`${suite} is already sealed`);
  const parsed = parseSuite(plain, suite); // never seal a suite that would not run
  const given = opts.key ?? (process.env.HIRAGA_EVAL_KEY || undefined);
  const key = given ?? generateKey();
  const sealed = sealSuite(plain, key);
  const out = opts.out ?? `${suite}.sealed`;
  fs.writeFileSync(out, sealed, { mode: 0o644 });
  const sha = crypto.createHash('sha256').update(sealed).digest('hex');
  process.stdout.write(`sealed ${parsed.items.length} items → ${out}\nsha256 ${sha}\n`);
  if (!given) process.stdout.write(`key ${key}\n(keep the key secret until the day; publish the sha256 now)\n`);
}

export async function workerCli(
  global: GlobalOptions,
  opts: { concurrency?: number; queue: string; idleExit?: number; lockDuration?: number; stalledInterval?: number },
): Promise<void> {
  const whole = (name: string, v: number | undefined, min: number) => {
    if (v !== undefined && (!Number.isInteger(v) || v < min)) throw badInput(`${name} must be a whole number ≥ ${min} (got ${v})`);
  };
  whole('--concurrency', opts.concurrency, 1);
  whole('--lock-duration', opts.lockDuration, 1000);
  whole('--stalled-interval', opts.stalledInterval, 100);
  if (opts.idleExit !== undefined && !(opts.idleExit > 0)) throw badInput(`--idle-exit must be a number of seconds > 0 (got ${opts.idleExit})`);
  await withContext(global, async (ctx) => {
    const redisUrl = ctx.config.redis;
    if (!redisUrl) throw badInput('eval worker needs a queue: set HIRAGA_REDIS_URL (or "redis" in the config)');
    const store = await ctx.store();
    const runtime = await createEvalRuntime(ctx.config, store);
    const { startEvalWorker } = await import('../queue/worker.js');
    const judgeModel = ctx.config.eval.judge?.model;
    let last = Date.now();
    let done = 0;
    const worker = startEvalWorker({
      redisUrl,
      store,
      queue: opts.queue,
      concurrency: opts.concurrency ?? ctx.config.eval.concurrency,
      ...(opts.lockDuration ? { lockDurationMs: opts.lockDuration } : {}),
      ...(opts.stalledInterval ? { stalledIntervalMs: opts.stalledInterval } : {}),
      deps: { run: runtime.run, retrieve: runtime.retrieve, settings: settingsFrom(ctx.config), ...(judgeModel ? { judgeModel } : {}), fingerprint: fingerprints(ctx.config) },
      onDone: () => {
        done++;
        last = Date.now();
      },
    });
    process.stderr.write(`eval worker on queue ${opts.queue} (${store.describe}); Ctrl-C to stop\n`);
    // Stop on SIGINT/SIGTERM or when idle: stop taking jobs, let the ones in flight finish and be saved.
    // Every handle set up here (signal listeners, the idle timer) is released, or the process would not exit.
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const idleTimer = opts.idleExit ? setInterval(() => Date.now() - last > opts.idleExit! * 1000 && stop(), 200) : null;
    await stopped;
    if (idleTimer) clearInterval(idleTimer);
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    process.stderr.write('eval worker stopping: finishing jobs in flight\n');
    await worker.close();
    await runtime.close();
    process.stderr.write(`eval worker stopped after ${done} jobs\n`);
  });
}
