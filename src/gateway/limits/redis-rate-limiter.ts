import type { Redis } from 'ioredis';
import { decide, type RateBucket, type RateDecision, type RateLimiter } from './rate-limiter.js';

/**
 * INCR every request bucket of a request and read its token buckets, in one round trip; a new window gets
 * its expiry (PEXPIRE) on its first hit. ARGV: window ms, number of request buckets (the first KEYS; the
 * rest are token buckets, only read). Returns count and remaining time for each key.
 */
const HIT = `
local out = {}
local requests = tonumber(ARGV[2])
for i, key in ipairs(KEYS) do
  if i <= requests then
    local n = redis.call('INCR', key)
    if n == 1 then redis.call('PEXPIRE', key, ARGV[1]) end
    local ttl = redis.call('PTTL', key)
    if ttl < 0 then redis.call('PEXPIRE', key, ARGV[1]); ttl = tonumber(ARGV[1]) end
    out[#out + 1] = n
    out[#out + 1] = ttl
  else
    local ttl = redis.call('PTTL', key)
    out[#out + 1] = tonumber(redis.call('GET', key) or '0')
    out[#out + 1] = ttl < 0 and tonumber(ARGV[1]) or ttl
  end
end
return out`;

/** INCRBY the tokens a call used into each token bucket; ARGV: tokens, window ms. */
const SPEND = `
for i, key in ipairs(KEYS) do
  local n = redis.call('INCRBY', key, ARGV[1])
  if n == tonumber(ARGV[1]) or redis.call('PTTL', key) < 0 then redis.call('PEXPIRE', key, ARGV[2]) end
end
return 0`;

type Scripts = {
  hiragaRateHit(n: number, ...args: (string | number)[]): Promise<number[]>;
  hiragaTokenSpend(n: number, ...args: (string | number)[]): Promise<number>;
};

/** Fixed-window counters in Redis: every gateway node sharing the Redis shares the limits. */
export class RedisRateLimiter implements RateLimiter {
  readonly kind = 'redis';

  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'hiraga:rl:',
  ) {
    redis.defineCommand('hiragaRateHit', { lua: HIT });
    redis.defineCommand('hiragaTokenSpend', { lua: SPEND });
  }

  private get scripts(): Scripts {
    return this.redis as unknown as Scripts;
  }

  async hit(buckets: RateBucket[], windowMs: number, tokenBuckets: RateBucket[] = []): Promise<RateDecision> {
    const keys = buckets.map((b) => this.prefix + b.key);
    for (const b of tokenBuckets) keys.push(this.prefix + b.key);
    const raw = await this.scripts.hiragaRateHit(keys.length, ...keys, windowMs, buckets.length);
    const counts: number[] = [];
    const resets: number[] = [];
    for (let i = 0; i < keys.length; i++) {
      counts.push(Number(raw[2 * i]));
      resets.push(Number(raw[2 * i + 1]));
    }
    return decide(buckets, counts, resets, tokenBuckets);
  }

  async spend(keys: string[], tokens: number, windowMs: number): Promise<void> {
    if (!keys.length || tokens <= 0) return;
    await this.scripts.hiragaTokenSpend(keys.length, ...keys.map((k) => this.prefix + k), Math.round(tokens), windowMs);
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/** Connect to Redis for rate limits: fail fast rather than queue commands while it is down. */
export async function connectRedis(url: string): Promise<Redis> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, { enableOfflineQueue: true, maxRetriesPerRequest: 1, commandTimeout: 1000, lazyConnect: true, connectionName: 'hiraga-gateway' });
  redis.on('error', () => {
    /* reported per command; ioredis reconnects */
  });
  await redis.connect();
  return redis;
}
