/**
 * Run `work` over `count` indices with at most `concurrency` in flight. Stops taking new indices
 * once `signal` aborts; work already started finishes.
 */
export async function runPool(count: number, concurrency: number, work: (index: number) => Promise<void>, signal?: AbortSignal): Promise<void> {
  let next = 0;
  const lanes = Math.max(1, Math.min(concurrency, count));
  const lane = async () => {
    while (next < count && !signal?.aborted) await work(next++);
  };
  await Promise.all(Array.from({ length: lanes }, lane));
}
