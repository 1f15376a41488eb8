import type { Redis } from 'ioredis';
import { decide, type RateBucket, type RateDecision, type RateLimiter } from './rate-limiter.js';

/**
 * INCR every bucket of a request in one round trip; a new window gets its expiry (PEXPIRE) on its
 * first hit. Returns count and remaining time for each key.
 */
const SCRIPT = `
local out = {}
for i, key in ipairs(KEYS) do
  local n = redis.call('INCR', key)
  if n == 1 then redis.call('PEXPIRE', key, ARGV[1]) end
  local ttl = redis.call('PTTL', key)
  if ttl < 0 then redis.call('PEXPIRE', key, ARGV[1]); ttl = tonumber(ARGV[1]) end
  out[#out + 1] = n
  out[#out + 1] = ttl
end
return out`;

/** Fixed-window counters in Redis: every gateway node sharing the Redis shares the limits. */
export class RedisRateLimiter implements RateLimiter {
  readonly kind = 'redis';

  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'hiraga:rl:',
  ) {
    redis.defineCommand('hiragaRateHit', { lua: SCRIPT });
  }

  async hit(buckets: RateBucket[], windowMs: number): Promise<RateDecision> {
    const keys = buckets.map((b) => this.prefix + b.key);
    const raw = (await (this.redis as unknown as { hiragaRateHit(n: number, ...args: (string | number)[]): Promise<number[]> }).hiragaRateHit(
      keys.length,
      ...keys,
      windowMs,
    )) as number[];
    const counts: number[] = [];
    const resets: number[] = [];
    for (let i = 0; i < buckets.length; i++) {
      counts.push(Number(raw[2 * i]));
      resets.push(Number(raw[2 * i + 1]));
    }
    return decide(buckets, counts, resets);
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
