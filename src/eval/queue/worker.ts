import { Worker } from 'bullmq';
import type { Store } from '../../store/open.js';
import { hasStoredSuccess, saveResults, WORKER_ID } from '../results-store.js';
import { executeItem, failedItem } from '../runner/execute.js';
import type { ExecuteDeps } from '../types.js';
import { DEFAULT_QUEUE, redisOptions, type EvalJobData } from './jobs.js';

export interface EvalWorkerOptions {
  redisUrl: string;
  store: Store;
  deps: Omit<ExecuteDeps, 'actor'>;
  concurrency: number;
  queue?: string;
  /** Recorded with each result (default host:pid). */
  workerId?: string;
  /**
   * How long a job's lock lasts without renewal (BullMQ `lockDuration`, default 30 000 ms; renewed every half of
   * it while the job runs). A worker that dies (kill -9, power loss) holds its jobs until their locks expire.
   */
  lockDurationMs?: number;
  /** How often this worker looks for jobs whose lock expired and puts them back (BullMQ `stalledInterval`, default 30 000 ms). */
  stalledIntervalMs?: number;
  onDone?: (data: EvalJobData) => void;
}

/**
 * A queue worker: takes (model, item) jobs, runs them through this machine's pipeline and writes the
 * result to the shared store. Faults are retried by BullMQ (job attempts); after the last attempt the
 * failure itself is stored (marked failed, so a later run retries it) and the run can finish.
 */
export function startEvalWorker(opts: EvalWorkerOptions): Worker<EvalJobData> {
  const workerId = opts.workerId ?? WORKER_ID;
  return new Worker<EvalJobData>(
    opts.queue ?? DEFAULT_QUEUE,
    async (job) => {
      const { item, model, actor, suiteSha256 } = job.data;
      // A job comes back when the worker that had it lost its lock: killed, or too busy to renew it. If that
      // worker stored the result before it went (it died between storing and acknowledging), the job is done.
      if (await hasStoredSuccess(opts.store, suiteSha256, model, item.id)) {
        opts.onDone?.(job.data);
        return;
      }
      let result;
      try {
        result = await executeItem(item, model, { ...opts.deps, actor });
      } catch (err) {
        const last = Math.max(job.attemptsMade + 1, job.attemptsStarted) >= (job.opts.attempts ?? 1);
        if (!last) throw err;
        result = failedItem(item, model, err);
      }
      // Two workers may still run one job at once (a lock lost while its worker was alive): the first success stays.
      await saveResults(opts.store, suiteSha256, [{ ...result, worker: workerId }], workerId, { keepSuccess: true });
      opts.onDone?.(job.data);
    },
    {
      connection: redisOptions(opts.redisUrl),
      concurrency: opts.concurrency,
      autorun: true,
      ...(opts.lockDurationMs ? { lockDuration: opts.lockDurationMs } : {}),
      ...(opts.stalledIntervalMs ? { stalledInterval: opts.stalledIntervalMs } : {}),
    },
  );
}
