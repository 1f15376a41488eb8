import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ResolvedConfig } from '../../config/load.js';
import { badInput } from '../../core/errors.js';
import type { Actor } from '../../core/types.js';
import type { ModelInfo } from '../../models/types.js';
import type { Store } from '../../store/open.js';
import { runThroughQueue } from '../queue/enqueue.js';
import { startEvalWorker } from '../queue/worker.js';
import { renderReport } from '../report/html.js';
import { printPdf } from '../report/pdf.js';
import { buildResults, type ResultsDocument } from '../report/results.js';
import { runEval } from '../runner/run.js';
import { loadSuite } from '../suite/load.js';
import type { EvalSettings, ExecuteDeps, ItemResult, RetrieveFn, RunFn } from '../types.js';
import { finishRunRecord, startRunRecord } from '../runs.js';
import { fingerprints } from '../fingerprint.js';
import { findCollection } from '../../retrieval/collections.js';
import type { SuiteItem } from '../suite/schema.js';

/** Fail before any model call when an item names a collection the tenant does not have. */
async function requireCollections(store: Store, tenant: string, items: SuiteItem[]): Promise<void> {
  const names = [...new Set(items.flatMap((i) => (i.collection ? [i.collection] : [])))];
  const missing: string[] = [];
  for (const n of names) if (!(await findCollection(store, tenant, n))) missing.push(n);
  if (missing.length) {
    throw badInput(`the suite asks about ${missing.map((m) => `"${m}"`).join(', ')}, which tenant "${tenant}" does not have; ingest first, e.g. hiraga ingest DIR --collection ${missing[0]}`);
  }
}

/** How many results were stored under another configuration than this run's (a queue worker configured otherwise). */
function configMismatch(results: Map<string, ItemResult[]>, fingerprint: (model: string) => string): { config_mismatch?: number } {
  let n = 0;
  for (const [model, list] of results) for (const r of list) if (!r.error && r.config_sha256 !== undefined && r.config_sha256 !== fingerprint(model)) n++;
  return n ? { config_mismatch: n } : {};
}

/** The governed runtime the harness drives (built from config + store by the CLI, injected by tests). */
export interface EvalRuntime {
  run: RunFn;
  retrieve: RetrieveFn;
  modelInfo(id: string): Pick<ModelInfo, 'origin' | 'hosting' | 'provider'> | null;
}

export interface EvalRunOptions {
  suite: string;
  key?: string;
  models: string[];
  concurrency: number;
  out: string;
  fresh?: boolean;
  pdf?: boolean;
  /** Queue mode: items become BullMQ jobs shared with `hiraga eval worker` processes. */
  queue?: { redisUrl: string; name?: string; localWorkers: boolean };
  signal?: AbortSignal;
  onProgress?: (done: number, total: number, note: string) => void;
  version?: string;
}

export interface EvalRunReport {
  doc: ResultsDocument;
  files: { results: string; report: string; pdf: string | null };
  /** Why no PDF was written, when it was not. */
  pdfNote: string | null;
  runId: number;
}

export function settingsFrom(config: ResolvedConfig): EvalSettings {
  const e = config.eval;
  return {
    minSupport: e.minSupport,
    biasMinSimilarity: e.biasMinSimilarity,
    proofreadMinSimilarity: e.proofreadMinSimilarity,
    judgeRepeats: e.judge?.repeats ?? 3,
    ...(e.maxTokens ? { maxTokens: e.maxTokens } : {}),
  };
}

/** `hiraga eval run`: every item on every model, resumable, then results.json, report.html and report.pdf. */
export async function evalRun(config: ResolvedConfig, store: Store, runtime: EvalRuntime, opts: EvalRunOptions): Promise<EvalRunReport> {
  if (!opts.models.length) throw badInput('give the models to compare with --models a,b,c');
  if (!Number.isInteger(opts.concurrency) || opts.concurrency < 1 || opts.concurrency > 1024) throw badInput(`--concurrency must be a whole number from 1 to 1024 (got ${opts.concurrency})`);
  const unknown = opts.models.filter((m) => !runtime.modelInfo(m));
  if (unknown.length) throw badInput(`--models: ${unknown.join(', ')} ${unknown.length > 1 ? 'are' : 'is'} not configured; configured: ${config.models.map((m) => m.id).join(', ')}`);
  const judgeModel = config.eval.judge?.model;
  if (judgeModel && !runtime.modelInfo(judgeModel)) throw badInput(`eval.judge.model = "${judgeModel}" names no configured model`);
  const suite = loadSuite(opts.suite, opts.key ?? (process.env.HIRAGA_EVAL_KEY || undefined));
  await requireCollections(store, config.eval.tenant, suite.items);
  fs.mkdirSync(opts.out, { recursive: true });

  const actor: Actor = { user: config.eval.user, role: 'staff', tenant: config.eval.tenant };
  const fingerprint = fingerprints(config);
  const deps: ExecuteDeps = { run: runtime.run, retrieve: runtime.retrieve, actor, settings: settingsFrom(config), ...(judgeModel ? { judgeModel } : {}), fingerprint };
  const started = new Date().toISOString();
  const runId = await startRunRecord(store, { path: opts.suite, sha256: suite.sha256, fileSha256: suite.fileSha256, sealed: suite.sealed, models: opts.models, items: suite.items.length, started });

  let results;
  let counts: { cached: number; executed: number; failed: number; interrupted: boolean };
  if (opts.queue) {
    const worker = opts.queue.localWorkers ? startEvalWorker({ redisUrl: opts.queue.redisUrl, store, deps, concurrency: opts.concurrency, ...(opts.queue.name ? { queue: opts.queue.name } : {}) }) : null;
    try {
      const q = await runThroughQueue({
        redisUrl: opts.queue.redisUrl,
        store,
        items: suite.items,
        suiteSha256: suite.sha256,
        models: opts.models,
        actor,
        fingerprint,
        ...(opts.queue.name ? { queue: opts.queue.name } : {}),
        ...(opts.fresh ? { fresh: true } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
        ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
      });
      results = q.results;
      counts = { cached: q.cached, executed: q.enqueued, failed: q.failed, interrupted: q.interrupted };
    } finally {
      await worker?.close();
    }
  } else {
    const r = await runEval({
      items: suite.items,
      suiteSha256: suite.sha256,
      models: opts.models,
      concurrency: opts.concurrency,
      deps,
      store,
      ...(opts.fresh ? { fresh: true } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    });
    results = r.results;
    counts = { cached: r.cached, executed: r.executed, failed: r.failed, interrupted: r.interrupted };
  }

  const models = new Map(opts.models.map((m) => [m, runtime.modelInfo(m)!]));
  const doc = buildResults({
    suite: { path: opts.suite, fileSha256: suite.fileSha256, sha256: suite.sha256, sealed: suite.sealed, items: suite.items },
    results,
    models,
    fingerprint,
    run: {
      started_at: started,
      finished_at: new Date().toISOString(),
      hiraga_version: opts.version ?? 'dev',
      node: process.version,
      host: os.hostname(),
      concurrency: opts.concurrency,
      tenant: actor.tenant,
      judge: judgeModel ? { model: judgeModel, repeats: config.eval.judge?.repeats ?? 3 } : null,
      queue: Boolean(opts.queue),
      total: suite.items.length * opts.models.length,
      ...counts,
      ...configMismatch(results, fingerprint),
      config: config.configPath,
    },
  });
  const html = renderReport(doc);
  const files = { results: path.join(opts.out, 'results.json'), report: path.join(opts.out, 'report.html'), pdf: null as string | null };
  fs.writeFileSync(files.results, JSON.stringify(doc, null, 2) + '\n');
  fs.writeFileSync(files.report, html);
  let pdfNote: string | null = 'not requested (--no-pdf)';
  if (opts.pdf !== false) {
    const pdfFile = path.join(opts.out, 'report.pdf');
    pdfNote = await printPdf(files.report, pdfFile);
    if (!pdfNote) files.pdf = pdfFile;
  }
  await finishRunRecord(store, runId, counts.interrupted ? 'interrupted' : 'finished', doc, html);
  return { doc, files, pdfNote, runId };
}
