import { Worker } from 'node:worker_threads';

/**
 * Moves SQLite's WAL checkpoints off the event loop. By default SQLite checkpoints inside whichever
 * commit pushes the WAL past 1,000 pages: that commit then copies and syncs megabytes while the
 * server waits (measured in bench:gateway as tens of milliseconds at p95). The gateway turns the
 * automatic checkpoint off on its connections and lets this worker thread checkpoint on a timer.
 */
export class SqliteCheckpointer {
  private readonly worker: Worker;

  constructor(file: string, options: { intervalMs?: number; onError?: (message: string) => void } = {}) {
    const workerData = { file, intervalMs: options.intervalMs ?? 250 };
    if (import.meta.url.endsWith('.ts')) {
      // From TypeScript sources (tests): load the worker through tsx.
      const entry = new URL('./sqlite-checkpoint.worker.ts', import.meta.url).href;
      this.worker = new Worker(`import('tsx/esm/api').then((m) => m.register()).then(() => import(${JSON.stringify(entry)}))`, { eval: true, workerData });
    } else this.worker = new Worker(new URL('./sqlite-checkpoint.worker.js', import.meta.url), { workerData });
    this.worker.unref();
    const report = options.onError ?? ((message: string) => process.emitWarning(`SQLite WAL checkpoint failed on ${file}: ${message}`, 'HiragaWarning'));
    this.worker.on('message', (m: { error?: string }) => m.error && report(m.error));
    this.worker.on('error', (err) => report(err.message));
  }

  /** Last checkpoint, then stop. */
  async close(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.ref();
    this.worker.postMessage({ close: true });
    await exited;
  }
}
