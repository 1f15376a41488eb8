import type { Actor } from '../../core/types.js';
import type { RateBucket, RateLimiter } from './rate-limiter.js';

/** Tokens per rate-limit window (config server.tokenLimitPerUser / tokenLimitPerTenant); absent: none. */
export interface TokenLimits {
  perUser?: number | undefined;
  perTenant?: number | undefined;
}

/** The buckets' keys: the tenant's length first, so no tenant and user pair can spell another's key. */
const userKey = (tenant: string, user: string) => `tokens:user:${tenant.length}:${tenant}:${user}`;
const tenantKey = (tenant: string) => `tokens:tenant:${tenant}`;

/** The token buckets a model call of this actor is checked against (none when no token limit is set). */
export function tokenBuckets(limits: TokenLimits, actor: Pick<Actor, 'tenant' | 'user'>): RateBucket[] {
  const out: RateBucket[] = [];
  if (limits.perUser) out.push({ key: userKey(actor.tenant, actor.user), limit: limits.perUser });
  if (limits.perTenant) out.push({ key: tenantKey(actor.tenant), limit: limits.perTenant });
  return out;
}

/** Which limit a token bucket is, for the refusal and the metric. */
export const tokenScope = (bucket: RateBucket): 'user' | 'tenant' => (bucket.key.startsWith('tokens:user:') ? 'user' : 'tenant');

/**
 * What records a call's tokens against its user's and tenant's windows, or undefined when no token limit
 * is set. It does not wait: a limiter that fails is reported (`onError`) and the call's tokens go uncounted.
 */
export function tokenSpender(
  limiter: RateLimiter,
  limits: TokenLimits,
  windowMs: number,
  onError: (err: unknown) => void,
): ((tenant: string, user: string, tokens: number) => void) | undefined {
  if (!limits.perUser && !limits.perTenant) return undefined;
  return (tenant, user, tokens) => {
    if (!(tokens > 0)) return;
    const keys: string[] = [];
    if (limits.perUser) keys.push(userKey(tenant, user));
    if (limits.perTenant) keys.push(tenantKey(tenant));
    limiter.spend(keys, tokens, windowMs).catch(onError);
  };
}
