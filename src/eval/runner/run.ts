import type { Store } from '../../store/open.js';
import { cacheKey, loadCached, ResultWriter } from '../results-store.js';
import type { SuiteItem } from '../suite/schema.js';
import type { ExecuteDeps, ItemResult } from '../types.js';
import { executeItem, failedItem } from './execute.js';
import { runPool } from './pool.js';

export interface RunOptions {
  items: SuiteItem[];
  /** SHA-256 of the plain suite: the cache key with (model, item). */
  suiteSha256: string;
  models: string[];
  concurrency: number;
  deps: ExecuteDeps;
  /** Where results are cached and resumed from; without it nothing is cached. */
  store?: Store;
  /** Ignore cached results (they are overwritten). */
  fresh?: boolean;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number, note: string) => void;
}

/** A run's result set (never throws for an item's fault: failed items are listed with their error). */
export interface RunOutcome {
  /** Per model, in suite order; items not reached (interrupted) are absent. */
  results: Map<string, ItemResult[]>;
  total: number;
  cached: number;
  executed: number;
  failed: number;
  interrupted: boolean;
}

/** Run every item on every model, resuming from the store's cache. */
export async function runEval(opts: RunOptions): Promise<RunOutcome> {
  const { items, models } = opts;
  const total = items.length * models.length;
  const cached = opts.store && !opts.fresh ? await loadCached(opts.store, opts.suiteSha256, models) : new Map<string, ItemResult>();
  const done = new Map<string, ItemResult>();
  const todo: { item: SuiteItem; model: string }[] = [];
  for (const item of items)
    for (const model of models) {
      const hit = cached.get(cacheKey(model, item.id));
      // A result measured under other model or eval settings (another baseUrl, prices, watts, thresholds…) is run again.
      const current = !opts.deps.fingerprint || hit?.config_sha256 === opts.deps.fingerprint(model);
      if (hit && hit.task === item.task && current) done.set(cacheKey(model, item.id), hit);
      else todo.push({ item, model });
    }
  const fromCache = done.size;
  const writer = opts.store ? new ResultWriter(opts.store, opts.suiteSha256) : null;
  let executed = 0;
  let failed = 0;
  opts.onProgress?.(done.size, total, fromCache ? `${fromCache} cached` : '');
  try {
    await runPool(
      todo.length,
      opts.concurrency,
      async (i) => {
        const { item, model } = todo[i]!;
        let result: ItemResult;
        try {
          result = await executeItem(item, model, opts.deps);
          writer?.add(result);
        } catch (err) {
          if (opts.signal?.aborted) return; // cut short by Ctrl-C: leave it for the next run
          result = failedItem(item, model, err);
          failed++;
        }
        executed++;
        done.set(cacheKey(model, item.id), result);
        opts.onProgress?.(done.size, total, `${model} ${item.id}`);
      },
      opts.signal,
    );
  } finally {
    await writer?.flush();
  }
  const results = new Map<string, ItemResult[]>();
  for (const model of models) {
    const list: ItemResult[] = [];
    for (const item of items) {
      const r = done.get(cacheKey(model, item.id));
      if (r) list.push(r);
    }
    results.set(model, list);
  }
  return { results, total, cached: fromCache, executed, failed, interrupted: done.size < total };
}
