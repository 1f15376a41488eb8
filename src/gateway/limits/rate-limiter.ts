/** One bucket to count a request against. */
export interface RateBucket {
  /** e.g. `key:3fa1…`, `tenant:minato`, `tokens:user:6:minato:staff1` (limits/token-limits.ts) */
  key: string;
  limit: number;
}

export interface RateDecision {
  allowed: boolean;
  /** The first bucket over its limit, when refused. */
  exceeded?: RateBucket;
  /** Whether `exceeded` counts requests or spent tokens. */
  exceededUnit?: 'requests' | 'tokens';
  /** Requests left in the tightest bucket. */
  remaining: number;
  /** Tokens left in the tightest token bucket, when token buckets were asked about. */
  tokensRemaining?: number;
  /** Milliseconds until the window of the refusing (or tightest) bucket resets. */
  resetMs: number;
}

/**
 * Fixed-window counters. All request buckets of one request are counted together, so a refused
 * request still counts (a client hammering past its limit stays limited). Token buckets count what
 * calls spent (`spend`, after each call): a request only reads them, and is refused once one is at its limit.
 */
export interface RateLimiter {
  readonly kind: 'memory' | 'redis';
  hit(buckets: RateBucket[], windowMs: number, tokenBuckets?: RateBucket[]): Promise<RateDecision>;
  /** Add the tokens a call used to these buckets' current windows (a window starts with its first spend). */
  spend(keys: string[], tokens: number, windowMs: number): Promise<void>;
  /** Rejects when a remote backend (Redis) cannot be reached: /healthz reports it. Absent: nothing to reach. */
  ping?(): Promise<void>;
  close(): Promise<void>;
}

/** Counts and window remainders of the request buckets, then of the token buckets. */
export function decide(buckets: RateBucket[], counts: number[], resets: number[], tokenBuckets: RateBucket[] = []): RateDecision {
  let remaining = Infinity;
  let resetMs = 0;
  for (let i = 0; i < buckets.length; i++) {
    const left = buckets[i]!.limit - counts[i]!;
    if (left < 0) return { allowed: false, exceeded: buckets[i]!, exceededUnit: 'requests', remaining: 0, resetMs: resets[i]! };
    if (left < remaining) {
      remaining = left;
      resetMs = resets[i]!;
    }
  }
  const decision: RateDecision = { allowed: true, remaining: Number.isFinite(remaining) ? remaining : 0, resetMs };
  if (!tokenBuckets.length) return decision;
  let tokensLeft = Infinity;
  for (let j = 0; j < tokenBuckets.length; j++) {
    const i = buckets.length + j;
    const left = tokenBuckets[j]!.limit - counts[i]!;
    if (left <= 0) return { allowed: false, exceeded: tokenBuckets[j]!, exceededUnit: 'tokens', remaining: decision.remaining, tokensRemaining: 0, resetMs: resets[i]! };
    if (left < tokensLeft) tokensLeft = left;
  }
  decision.tokensRemaining = tokensLeft;
  return decision;
}

/** Counters in this process: right for one node. */
export class MemoryRateLimiter implements RateLimiter {
  readonly kind = 'memory';
  private readonly windows = new Map<string, { count: number; resetAt: number }>();
  private lastSweep = 0;

  async hit(buckets: RateBucket[], windowMs: number, tokenBuckets: RateBucket[] = []): Promise<RateDecision> {
    const now = Date.now();
    if (now - this.lastSweep > windowMs) this.sweep(now);
    const counts: number[] = [];
    const resets: number[] = [];
    for (const b of buckets) {
      const w = this.current(b.key, now, windowMs);
      w.count++;
      counts.push(w.count);
      resets.push(w.resetAt - now);
    }
    for (const b of tokenBuckets) {
      const w = this.windows.get(b.key);
      const live = w !== undefined && w.resetAt > now;
      counts.push(live ? w.count : 0);
      resets.push(live ? w.resetAt - now : windowMs);
    }
    return decide(buckets, counts, resets, tokenBuckets);
  }

  async spend(keys: string[], tokens: number, windowMs: number): Promise<void> {
    const now = Date.now();
    for (const key of keys) this.current(key, now, windowMs).count += tokens;
  }

  private current(key: string, now: number, windowMs: number): { count: number; resetAt: number } {
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      w = { count: 0, resetAt: now + windowMs };
      this.windows.set(key, w);
    }
    return w;
  }

  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [k, w] of this.windows) if (w.resetAt <= now) this.windows.delete(k);
  }

  async close(): Promise<void> {}
}
