import type { MiddlewareHandler } from 'hono';
import { HiragaError } from '../../core/errors.js';
import type { GatewayEnv } from '../env.js';
import type { RateLimiter } from '../limits/rate-limiter.js';

export interface RateLimitOptions {
  limiter: RateLimiter;
  /** Requests per window per credential and per tenant. */
  perKey: number;
  perTenant: number;
  windowMs?: number;
  onLimited?: (scope: 'key' | 'tenant') => void;
  /** Called when the backend fails; the request is let through (availability over strictness). */
  onBackendError?: (err: unknown) => void;
}

/** Per-key and per-tenant limits (after auth). 429 with Retry-After when over. */
export function rateLimit({ limiter, perKey, perTenant, windowMs = 60_000, onLimited, onBackendError }: RateLimitOptions): MiddlewareHandler<GatewayEnv> {
  return async function limitRate(c, next) {
    const { tenant } = c.get('actor');
    const buckets = [
      { key: `key:${c.get('keyId')}`, limit: perKey },
      { key: `tenant:${tenant}`, limit: perTenant },
    ];
    let decision;
    try {
      decision = await limiter.hit(buckets, windowMs);
    } catch (err) {
      onBackendError?.(err);
      return next();
    }
    c.header('X-RateLimit-Remaining', String(decision.remaining));
    if (!decision.allowed) {
      const scope = decision.exceeded!.key.startsWith('tenant:') ? 'tenant' : 'key';
      onLimited?.(scope);
      const retryAfterSeconds = Math.max(1, Math.ceil(decision.resetMs / 1000));
      throw new HiragaError(
        'rate_limited',
        `${scope === 'key' ? 'このAPIキー' : 'この組織（テナント）'}の利用回数の上限（${decision.exceeded!.limit}回/${Math.round(windowMs / 1000)}秒）に達しました。${retryAfterSeconds}秒後に再試行してください / rate limit of ${decision.exceeded!.limit} requests per ${Math.round(windowMs / 1000)} s per ${scope} reached; retry after ${retryAfterSeconds} s`,
        { reason: 'rate_limit_exceeded', details: { retryAfterSeconds, scope } },
      );
    }
    return next();
  };
}
