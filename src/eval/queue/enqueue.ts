import crypto from 'node:crypto';
import { Queue } from 'bullmq';
import type { Actor } from '../../core/types.js';
import type { Store } from '../../store/open.js';
import { cacheKey, clearFailed, clearStale, countStored, loadCached } from '../results-store.js';
import type { SuiteItem } from '../suite/schema.js';
import type { ItemResult } from '../types.js';
import { DEFAULT_QUEUE, jobIdFor, redisOptions, type EvalJobData } from './jobs.js';

export interface QueueRunOptions {
  redisUrl: string;
  store: Store;
  items: SuiteItem[];
  suiteSha256: string;
  models: string[];
  actor: Actor;
  queue?: string;
  fresh?: boolean;
  /** The current configuration fingerprint per model: stored results under another one are run again. */
  fingerprint?: (model: string) => string;
  attempts?: number;
  pollMs?: number;
  /** Re-queue missing items when nothing is pending and no result arrived for this long (default 5 s). */
  stallMs?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number, note: string) => void;
}

/**
 * Put every (model, item) not yet in the store on the queue, then wait until the workers (this process's
 * and any other machine's `hiraga eval worker`) have stored a result for each. Returns the results per model.
 */
export async function runThroughQueue(opts: QueueRunOptions): Promise<{ results: Map<string, ItemResult[]>; cached: number; enqueued: number; failed: number; interrupted: boolean }> {
  const total = opts.items.length * opts.models.length;
  if (opts.fresh) await opts.store.db.deleteFrom('eval_results').where('suite_sha256', '=', opts.suiteSha256).where('model', 'in', opts.models).execute();
  else {
    await clearFailed(opts.store, opts.suiteSha256, opts.models);
    if (opts.fingerprint) await clearStale(opts.store, opts.suiteSha256, opts.models, opts.fingerprint);
  }
  const cached = await loadCached(opts.store, opts.suiteSha256, opts.models);
  const queue = new Queue<EvalJobData>(opts.queue ?? DEFAULT_QUEUE, { connection: redisOptions(opts.redisUrl) });
  let enqueued = 0;
  const missing = async () => {
    const have = await loadCached(opts.store, opts.suiteSha256, opts.models, true);
    return opts.items.flatMap((item) => opts.models.filter((model) => !have.has(cacheKey(model, item.id))).map((model) => ({ item, model })));
  };
  const enqueue = async (todo: { item: SuiteItem; model: string }[]) => {
    const round = crypto.randomBytes(6).toString('hex');
    const jobs = todo.map(({ item, model }) => ({
      name: item.task,
      data: { suiteSha256: opts.suiteSha256, model, item, actor: opts.actor },
      opts: { jobId: jobIdFor(opts.suiteSha256, model, item.id, round), attempts: opts.attempts ?? 3, backoff: { type: 'exponential', delay: 500 }, removeOnComplete: true, removeOnFail: true },
    }));
    for (let i = 0; i < jobs.length; i += 500) await queue.addBulk(jobs.slice(i, i + 500));
    return jobs.length;
  };
  try {
    enqueued = await enqueue(opts.items.flatMap((item) => opts.models.filter((model) => !cached.has(cacheKey(model, item.id))).map((model) => ({ item, model }))));
    let done = await countStored(opts.store, opts.suiteSha256, opts.models);
    opts.onProgress?.(done, total, `${cached.size} cached, ${enqueued} queued`);
    let lastChange = Date.now();
    while (done < total && !opts.signal?.aborted) {
      await new Promise((r) => setTimeout(r, opts.pollMs ?? 300));
      const now = await countStored(opts.store, opts.suiteSha256, opts.models);
      if (now !== done) lastChange = Date.now();
      done = now;
      opts.onProgress?.(done, total, 'queue');
      // Lost jobs (Redis flushed, a job removed by hand): when nothing is pending any more, queue what is missing again.
      if (done < total && Date.now() - lastChange > (opts.stallMs ?? 5000)) {
        const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
        if (Object.values(c).every((n) => n === 0)) enqueued += await enqueue(await missing());
        lastChange = Date.now();
      }
    }
  } finally {
    await queue.close();
  }
  const stored = await loadCached(opts.store, opts.suiteSha256, opts.models, true);
  const results = new Map<string, ItemResult[]>();
  let failed = 0;
  for (const model of opts.models) {
    const list = opts.items.map((i) => stored.get(cacheKey(model, i.id))).filter((r): r is ItemResult => r !== undefined);
    failed += list.filter((r) => r.error).length;
    results.set(model, list);
  }
  return { results, cached: cached.size, enqueued, failed, interrupted: [...results.values()].reduce((a, l) => a + l.length, 0) < total };
}
