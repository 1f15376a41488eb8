import type { Context, MiddlewareHandler } from 'hono';
import { HiragaError } from '../../core/errors.js';
import type { GatewayEnv } from '../env.js';
import type { RateBucket, RateDecision, RateLimiter } from '../limits/rate-limiter.js';
import { tokenScope } from '../limits/token-limits.js';

export interface RateLimitOptions {
  limiter: RateLimiter;
  /** Requests per window per credential and per tenant. */
  perKey: number;
  perTenant: number;
  windowMs?: number;
  onLimited?: (scope: 'key' | 'tenant' | 'user_tokens' | 'tenant_tokens') => void;
  /** Called when the backend fails, with the request's id; the request is let through (availability over strictness). */
  onBackendError?: (err: unknown, requestId?: string) => void;
  /**
   * Routes that read and guard the request while a remote limiter (Redis) decides. For them the
   * decision is not awaited here: it is `c.var.admission`, which the route hands to the pipeline as
   * `GovernedRequest.admission`, awaited before the call's first side effect (the model call, or the
   * audit event of a policy block). A refused request still answers 429 whatever else failed meanwhile.
   * A memory limiter decides at once, so it is always awaited here; so is the decision for a key or
   * tenant this process saw refused in the current window (it stays refused: no work is spent on it).
   */
  admitsLater?: (c: Context<GatewayEnv>) => boolean;
  /**
   * The token buckets (limits/token-limits.ts) of a request that will use a model: it is refused once one
   * is spent for the window. None for requests that use no model.
   */
  tokenBuckets?: (c: Context<GatewayEnv>) => RateBucket[];
}

/** Keys and tenants refused in their current window, remembered up to this many (then the expired ones are dropped). */
const REFUSED_MEMORY = 10_000;

/** Per-key and per-tenant limits (after auth). 429 with Retry-After when over. */
export function rateLimit({ limiter, perKey, perTenant, windowMs = 60_000, onLimited, onBackendError, admitsLater, tokenBuckets }: RateLimitOptions): MiddlewareHandler<GatewayEnv> {
  /** Bucket key → when its window ends (Date.now() ms), for buckets refused by this process (kept only where calls may be admitted later). */
  const refusedUntil = new Map<string, number>();
  const remembers = limiter.kind !== 'memory' && admitsLater !== undefined;
  let lastSweep = 0;
  const stillRefused = (buckets: RateBucket[], tokens: RateBucket[]) => {
    const now = Date.now();
    const refused = (b: RateBucket) => {
      const until = refusedUntil.get(b.key);
      if (until === undefined) return false;
      if (until > now) return true;
      refusedUntil.delete(b.key);
      return false;
    };
    return buckets.some(refused) || tokens.some(refused);
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
    if (remembers) remember(decision);
    const retryAfterSeconds = Math.max(1, Math.ceil(decision.resetMs / 1000));
    if (decision.exceededUnit === 'tokens') {
      const who = tokenScope(decision.exceeded!);
      onLimited?.(`${who}_tokens`);
      return new HiragaError(
        'rate_limited',
        `${who === 'user' ? 'この利用者' : 'この組織（テナント）'}のトークン使用量の上限（${decision.exceeded!.limit}トークン/${Math.round(windowMs / 1000)}秒）に達しました。${retryAfterSeconds}秒後に再試行してください / token limit of ${decision.exceeded!.limit} tokens per ${Math.round(windowMs / 1000)} s per ${who} reached; retry after ${retryAfterSeconds} s`,
        { reason: 'rate_limit_exceeded', details: { retryAfterSeconds, scope: `${who}_tokens` } },
      );
    }
    const scope = decision.exceeded!.key.startsWith('tenant:') ? 'tenant' : 'key';
    onLimited?.(scope);
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
  /** Resolves with the decision when the request may go on (undefined when the backend failed: let through); rejects with the 429. */
  const admit = async (c: Context<GatewayEnv>, buckets: RateBucket[], tokens: RateBucket[]): Promise<RateDecision | undefined> => {
    let decision;
    try {
      decision = await limiter.hit(buckets, windowMs, tokens);
    } catch (err) {
      onBackendError?.(err, c.get('requestId'));
      return undefined;
    }
    c.header('X-RateLimit-Remaining', String(decision.remaining));
    if (decision.tokensRemaining !== undefined) c.header('X-RateLimit-Remaining-Tokens', String(decision.tokensRemaining));
    if (!decision.allowed) throw refusal(decision);
    return decision;
  };
  // A route may answer with a Response of its own (a stream), which does not carry c.header()'s headers.
  const stamp = (c: Context<GatewayEnv>, decision: RateDecision | undefined) => {
    if (!decision) return;
    const h = c.res.headers;
    if (!h.has('X-RateLimit-Remaining')) h.set('X-RateLimit-Remaining', String(decision.remaining));
    if (decision.tokensRemaining !== undefined && !h.has('X-RateLimit-Remaining-Tokens')) h.set('X-RateLimit-Remaining-Tokens', String(decision.tokensRemaining));
  };
  const none: RateBucket[] = [];

  return async function limitRate(c, next) {
    const buckets = bucketsOf(c);
    const tokens = tokenBuckets?.(c) ?? none;
    if (limiter.kind === 'memory' || !admitsLater?.(c) || stillRefused(buckets, tokens)) {
      const decision = await admit(c, buckets, tokens);
      await next();
      return stamp(c, decision);
    }
    // The round trip to the limiter overlaps reading, validating and guarding the request.
    const decided = admit(c, buckets, tokens);
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
