import os from 'node:os';
import type { Store } from '../store/open.js';
import type { ItemResult } from './types.js';

export const cacheKey = (model: string, itemId: string) => `${model}\u0000${itemId}`;

/** This process, as recorded with each result: host:pid. */
export const WORKER_ID = `${os.hostname()}:${process.pid}`;

/** Every stored result of a suite version for the given models (failed ones only when asked). */
export async function loadCached(store: Store, suiteSha256: string, models: string[], includeFailed = false): Promise<Map<string, ItemResult>> {
  const out = new Map<string, ItemResult>();
  if (!models.length) return out;
  let q = store.db.selectFrom('eval_results').select(['model', 'item_id', 'result', 'worker']).where('suite_sha256', '=', suiteSha256).where('model', 'in', models);
  if (!includeFailed) q = q.where('failed', '=', 0);
  const rows = await q.execute();
  for (const r of rows) out.set(cacheKey(r.model, r.item_id), { ...(JSON.parse(r.result) as ItemResult), worker: r.worker });
  return out;
}

/** How many (model, item) results of the suite are stored, failed ones included. */
export async function countStored(store: Store, suiteSha256: string, models: string[]): Promise<number> {
  const row = await store.db
    .selectFrom('eval_results')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('suite_sha256', '=', suiteSha256)
    .where('model', 'in', models)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Whether a successful result is stored for (suite, model, item). */
export async function hasStoredSuccess(store: Store, suiteSha256: string, model: string, itemId: string): Promise<boolean> {
  const row = await store.db
    .selectFrom('eval_results')
    .select('item_id')
    .where('suite_sha256', '=', suiteSha256)
    .where('model', '=', model)
    .where('item_id', '=', itemId)
    .where('failed', '=', 0)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Save results (idempotent: a result already stored for the key is replaced). With `keepSuccess`, a stored
 * successful result is kept and only a stored failure is replaced: the first worker to finish a job wins
 * when a job runs twice (queue mode; see queue/worker.ts).
 */
export async function saveResults(store: Store, suiteSha256: string, results: ItemResult[], worker = WORKER_ID, o: { keepSuccess?: boolean } = {}): Promise<void> {
  if (!results.length) return;
  const now = new Date().toISOString();
  for (let i = 0; i < results.length; i += 200) {
    const rows = results.slice(i, i + 200).map((r) => {
      const { worker: _w, ...rest } = r;
      return { suite_sha256: suiteSha256, model: r.model, item_id: r.id, result: JSON.stringify(rest), worker: r.worker ?? worker, failed: r.error ? 1 : 0, created_at: now };
    });
    await store.db
      .insertInto('eval_results')
      .values(rows)
      .onConflict((oc) => {
        const update = oc.columns(['suite_sha256', 'model', 'item_id']).doUpdateSet((eb) => ({ result: eb.ref('excluded.result'), worker: eb.ref('excluded.worker'), failed: eb.ref('excluded.failed'), created_at: eb.ref('excluded.created_at') }));
        return o.keepSuccess ? update.where('eval_results.failed', '=', 1) : update;
      })
      .execute();
  }
}

/**
 * Buffers results and writes them in batches (one statement per `batchSize` results or `intervalMs`),
 * so the store is not the bottleneck at high concurrency. `flush()` before exit; a crash loses at most
 * the unflushed batch, which the next run recomputes.
 */
export class ResultWriter {
  private pending: ItemResult[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  private failure: unknown = null;

  constructor(
    private readonly store: Store,
    private readonly suiteSha256: string,
    private readonly batchSize = 64,
    private readonly intervalMs = 250,
  ) {}

  add(result: ItemResult): void {
    if (this.failure) throw this.failure;
    this.pending.push(result);
    if (this.pending.length >= this.batchSize) void this.flush().catch(() => {});
    else this.timer ??= setTimeout(() => void this.flush().catch(() => {}), this.intervalMs);
  }

  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    this.pending = [];
    this.writing = this.writing.then(async () => {
      if (!batch.length) return;
      try {
        await saveResults(this.store, this.suiteSha256, batch);
      } catch (err) {
        this.failure = err;
      }
    });
    await this.writing;
    if (this.failure) throw this.failure;
  }
}

/**
 * Forget results of a suite measured under other settings than the current ones (see fingerprint.ts), so that a
 * queue run re-queues them instead of counting them as done. Results without a fingerprint are stale too.
 */
export async function clearStale(store: Store, suiteSha256: string, models: string[], fingerprint: (model: string) => string): Promise<number> {
  let removed = 0;
  for (const model of models) {
    const rows = await store.db.selectFrom('eval_results').select(['item_id', 'result']).where('suite_sha256', '=', suiteSha256).where('model', '=', model).execute();
    const want = fingerprint(model);
    const stale = rows.filter((r) => (JSON.parse(r.result) as ItemResult).config_sha256 !== want).map((r) => r.item_id);
    for (let i = 0; i < stale.length; i += 500) {
      await store.db.deleteFrom('eval_results').where('suite_sha256', '=', suiteSha256).where('model', '=', model).where('item_id', 'in', stale.slice(i, i + 500)).execute();
    }
    removed += stale.length;
  }
  return removed;
}

/** Forget failed results of a suite (before they are run again). */
export async function clearFailed(store: Store, suiteSha256: string, models: string[]): Promise<void> {
  if (!models.length) return;
  await store.db.deleteFrom('eval_results').where('suite_sha256', '=', suiteSha256).where('model', 'in', models).where('failed', '=', 1).execute();
}
