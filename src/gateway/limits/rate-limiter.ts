/** One bucket to count a request against. */
export interface RateBucket {
  /** e.g. `key:3fa1…` or `tenant:minato` */
  key: string;
  limit: number;
}

export interface RateDecision {
  allowed: boolean;
  /** The first bucket over its limit, when refused. */
  exceeded?: RateBucket;
  /** Requests left in the tightest bucket. */
  remaining: number;
  /** Milliseconds until the window of the refusing (or tightest) bucket resets. */
  resetMs: number;
}

/**
 * Fixed-window request counters. All buckets of one request are counted together, so a refused
 * request still counts (a client hammering past its limit stays limited).
 */
export interface RateLimiter {
  readonly kind: 'memory' | 'redis';
  hit(buckets: RateBucket[], windowMs: number): Promise<RateDecision>;
  close(): Promise<void>;
}

export function decide(buckets: RateBucket[], counts: number[], resets: number[]): RateDecision {
  let remaining = Infinity;
  let resetMs = 0;
  for (let i = 0; i < buckets.length; i++) {
    const left = buckets[i]!.limit - counts[i]!;
    if (left < 0) return { allowed: false, exceeded: buckets[i]!, remaining: 0, resetMs: resets[i]! };
    if (left < remaining) {
      remaining = left;
      resetMs = resets[i]!;
    }
  }
  return { allowed: true, remaining: Number.isFinite(remaining) ? remaining : 0, resetMs };
}

/** Counters in this process: right for one node. */
export class MemoryRateLimiter implements RateLimiter {
  readonly kind = 'memory';
  private readonly windows = new Map<string, { count: number; resetAt: number }>();
  private lastSweep = 0;

  async hit(buckets: RateBucket[], windowMs: number): Promise<RateDecision> {
    const now = Date.now();
    if (now - this.lastSweep > windowMs) this.sweep(now);
    const counts: number[] = [];
    const resets: number[] = [];
    for (const b of buckets) {
      let w = this.windows.get(b.key);
      if (!w || w.resetAt <= now) {
        w = { count: 0, resetAt: now + windowMs };
        this.windows.set(b.key, w);
      }
      w.count++;
      counts.push(w.count);
      resets.push(w.resetAt - now);
    }
    return decide(buckets, counts, resets);
  }

  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [k, w] of this.windows) if (w.resetAt <= now) this.windows.delete(k);
  }

  async close(): Promise<void> {}
}
