export interface BackoffOptions {
  /** First delay before jitter (default 250 ms). */
  baseMs?: number;
  /** Largest delay (default 8 s). */
  maxMs?: number;
  random?: () => number;
}

/** Exponential backoff with jitter: base × 2^attempt, scaled by a random factor in [0.5, 1], capped. */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? 250;
  const max = options.maxMs ?? 8_000;
  const random = options.random ?? Math.random;
  const raw = Math.min(max, base * 2 ** attempt);
  return Math.round(raw * (0.5 + 0.5 * random()));
}

/** Sleep that ends early (rejecting with the signal's reason) when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
