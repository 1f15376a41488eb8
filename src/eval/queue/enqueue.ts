import { Queue } from 'bullmq';
import type { Actor } from '../../core/types.js';
import type { Store } from '../../store/open.js';
import { cacheKey, clearFailed, countStored, loadCached } from '../results-store.js';
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
  attempts?: number;
  pollMs?: number;
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
  else await clearFailed(opts.store, opts.suiteSha256, opts.models);
  const cached = await loadCached(opts.store, opts.suiteSha256, opts.models);
  const queue = new Queue<EvalJobData>(opts.queue ?? DEFAULT_QUEUE, { connection: redisOptions(opts.redisUrl) });
  let enqueued = 0;
  try {
    const jobs = opts.items.flatMap((item) =>
      opts.models
        .filter((model) => !cached.has(cacheKey(model, item.id)))
        .map((model) => ({
          name: item.task,
          data: { suiteSha256: opts.suiteSha256, model, item, actor: opts.actor },
          opts: { jobId: jobIdFor(opts.suiteSha256, model, item.id), attempts: opts.attempts ?? 3, backoff: { type: 'exponential', delay: 500 }, removeOnComplete: true, removeOnFail: true },
        })),
    );
    for (let i = 0; i < jobs.length; i += 500) await queue.addBulk(jobs.slice(i, i + 500));
    enqueued = jobs.length;
    let done = await countStored(opts.store, opts.suiteSha256, opts.models);
    opts.onProgress?.(done, total, `${cached.size} cached, ${enqueued} queued`);
    while (done < total && !opts.signal?.aborted) {
      await new Promise((r) => setTimeout(r, opts.pollMs ?? 300));
      done = await countStored(opts.store, opts.suiteSha256, opts.models);
      opts.onProgress?.(done, total, 'queue');
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
