import type { Context, MiddlewareHandler } from 'hono';
import { HiragaError } from '../../core/errors.js';
import type { GatewayEnv } from '../env.js';
import type { RateBucket, RateDecision, RateLimiter } from '../limits/rate-limiter.js';

export interface RateLimitOptions {
  limiter: RateLimiter;
  /** Requests per window per credential and per tenant. */
  perKey: number;
  perTenant: number;
  windowMs?: number;
  onLimited?: (scope: 'key' | 'tenant') => void;
  /** Called when the backend fails; the request is let through (availability over strictness). */
  onBackendError?: (err: unknown) => void;
  /**
   * Routes that read and guard the request while a remote limiter (Redis) decides. For them the
   * decision is not awaited here: it is `c.var.admission`, which the route hands to the pipeline as
   * `GovernedRequest.admission`, awaited before the call's first side effect (the model call, or the
   * audit event of a policy block). A refused request still answers 429 whatever else failed meanwhile.
   * A memory limiter decides at once, so it is always awaited here; so is the decision for a key or
   * tenant this process saw refused in the current window (it stays refused: no work is spent on it).
   */
  admitsLater?: (c: Context<GatewayEnv>) => boolean;
}

/** Keys and tenants refused in their current window, remembered up to this many (then the expired ones are dropped). */
const REFUSED_MEMORY = 10_000;

/** Per-key and per-tenant limits (after auth). 429 with Retry-After when over. */
export function rateLimit({ limiter, perKey, perTenant, windowMs = 60_000, onLimited, onBackendError, admitsLater }: RateLimitOptions): MiddlewareHandler<GatewayEnv> {
  /** Bucket key → when its window ends (Date.now() ms), for buckets refused by this process (kept only where calls may be admitted later). */
  const refusedUntil = new Map<string, number>();
  const remembers = limiter.kind !== 'memory' && admitsLater !== undefined;
  let lastSweep = 0;
  const stillRefused = (buckets: RateBucket[]) => {
    const now = Date.now();
    return buckets.some((b) => {
      const until = refusedUntil.get(b.key);
      if (until === undefined) return false;
      if (until > now) return true;
      refusedUntil.delete(b.key);
      return false;
    });
  };
  const remember = (decision: RateDecision) => {
    const now = Date.now();
    // Full: drop the expired entries, at most once a second (a full map of live entries just stops growing).
    if (refusedUntil.size >= REFUSED_MEMORY && now - lastSweep > 1000) {
      lastSweep = now;
      for (const [k, until] of refusedUntil) if (until <= now) refusedUntil.delete(k);
    }
    if (refusedUntil.size < REFUSED_MEMORY) refusedUntil.set(decision.exceeded!.key, now + decision.resetMs);
  };
  const refusal = (decision: RateDecision) => {
    const scope = decision.exceeded!.key.startsWith('tenant:') ? 'tenant' : 'key';
    onLimited?.(scope);
    if (remembers) remember(decision);
    const retryAfterSeconds = Math.max(1, Math.ceil(decision.resetMs / 1000));
    return new HiragaError(
      'rate_limited',
      `${scope === 'key' ? 'このAPIキー' : 'この組織（テナント）'}の利用回数の上限（${decision.exceeded!.limit}回/${Math.round(windowMs / 1000)}秒）に達しました。${retryAfterSeconds}秒後に再試行してください / rate limit of ${decision.exceeded!.limit} requests per ${Math.round(windowMs / 1000)} s per ${scope} reached; retry after ${retryAfterSeconds} s`,
      { reason: 'rate_limit_exceeded', details: { retryAfterSeconds, scope } },
    );
  };
  const bucketsOf = (c: Context<GatewayEnv>): RateBucket[] => [
    { key: `key:${c.get('keyId')}`, limit: perKey },
    { key: `tenant:${c.get('actor').tenant}`, limit: perTenant },
  ];
  /** Resolves with the requests left when the request may go on (undefined when the backend failed: let through); rejects with the 429. */
  const admit = async (c: Context<GatewayEnv>, buckets: RateBucket[]): Promise<number | undefined> => {
    let decision;
    try {
      decision = await limiter.hit(buckets, windowMs);
    } catch (err) {
      onBackendError?.(err);
      return undefined;
    }
    c.header('X-RateLimit-Remaining', String(decision.remaining));
    if (!decision.allowed) throw refusal(decision);
    return decision.remaining;
  };
  // A route may answer with a Response of its own (a stream), which does not carry c.header()'s headers.
  const stamp = (c: Context<GatewayEnv>, remaining: number | undefined) => {
    if (remaining !== undefined && !c.res.headers.has('X-RateLimit-Remaining')) c.res.headers.set('X-RateLimit-Remaining', String(remaining));
  };

  return async function limitRate(c, next) {
    const buckets = bucketsOf(c);
    if (limiter.kind === 'memory' || !admitsLater?.(c) || stillRefused(buckets)) {
      const remaining = await admit(c, buckets);
      await next();
      return stamp(c, remaining);
    }
    // The round trip to the limiter overlaps reading, validating and guarding the request.
    const decided = admit(c, buckets);
    const admission = decided.then(() => undefined);
    admission.catch(() => {}); // awaited below on every path; this only keeps an early refusal from counting as unhandled
    c.set('admission', admission);
    try {
      await next();
    } catch (err) {
      await admission; // a refused request answers 429, not whatever else went wrong meanwhile
      throw err;
    }
    stamp(c, await decided);
  };
}
