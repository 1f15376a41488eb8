import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RateBucket, RateDecision, RateLimiter } from '../../src/gateway/limits/rate-limiter.js';
import { connectRedis, RedisRateLimiter } from '../../src/gateway/limits/redis-rate-limiter.js';
import type { RunningGateway } from '../../src/gateway/server.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';
import { call, startTestGateway, testConfig, upstreamModels } from './helpers.js';

const REDIS_URL = process.env.HIRAGA_TEST_REDIS_URL;
if (!REDIS_URL) throw new Error('the admission test needs HIRAGA_TEST_REDIS_URL (a local Redis)');

/**
 * The real Redis limiter, answering LIMITER_DELAY_MS late: the chat route reads and guards the request
 * while the decision is out (middleware/rate-limit.ts), and this widens that window so a call that
 * leaked past a refusal would surely reach the upstream before the 429.
 */
const LIMITER_DELAY_MS = 250;
class SlowRedisLimiter implements RateLimiter {
  readonly kind = 'redis';
  hits = 0;
  constructor(private readonly inner: RedisRateLimiter) {}
  async hit(buckets: RateBucket[], windowMs: number): Promise<RateDecision> {
    this.hits++;
    const decision = await this.inner.hit(buckets, windowMs);
    await new Promise((r) => setTimeout(r, LIMITER_DELAY_MS));
    return decision;
  }
  close() {
    return this.inner.close();
  }
}

const run = crypto.randomBytes(4).toString('hex');
const limited = `key-admission-limited-${run}`;
const free = `key-admission-free-${run}`;
let up: Upstream;
let gw: RunningGateway;
let limiter: SlowRedisLimiter;

const chats = () => up.requests.filter((q) => q.path === '/v1/chat/completions').length;
const chat = (key: string, body: unknown) => call(gw, '/v1/chat/completions', { key, body });

beforeAll(async () => {
  up = await startUpstream();
  limiter = new SlowRedisLimiter(new RedisRateLimiter(await connectRedis(REDIS_URL!), `hiraga:test:${run}:`));
  gw = await startTestGateway(
    testConfig({
      models: upstreamModels(up.url),
      auth: {
        apiKeys: [
          { key: limited, user: 'limited', role: 'staff', tenant: `t${run}` },
          { key: free, user: 'free', role: 'staff', tenant: `t${run}` },
        ],
      },
      server: { rateLimitPerKey: 2, rateLimitPerTenant: 1000 },
    }),
    { limiter },
  );
}, 60_000);

afterAll(async () => {
  await gw?.close();
  await up?.close();
});

describe('chat calls guarded while Redis decides the rate limit', () => {
  it('admitted calls answer, with the remaining count, and reach the model', async () => {
    const before = chats();
    const a = await chat(limited, { model: 'up', messages: [{ role: 'user', content: '会議室の予約方法を教えてください。' }] });
    const b = await chat(limited, { model: 'up', stream: true, messages: [{ role: 'user', content: '議事録の書き方を教えてください。' }] });
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.headers.get('x-ratelimit-remaining')).toBe('1');
    expect(b.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(b.text).toContain('[DONE]');
    expect(chats()).toBe(before + 2);
  });

  it('a refused call answers 429 and nothing reaches the model — plain, streamed, or whatever else was wrong with it', async () => {
    const before = chats();
    const events = (await gw.services.audit.query({ tenant: `t${run}`, limit: 10_000 })).length;
    const hits = limiter.hits;
    const plain = await chat(limited, { model: 'up', messages: [{ role: 'user', content: '住民票の写しの請求方法は？' }] });
    const streamed = await chat(limited, { model: 'up', stream: true, messages: [{ role: 'user', content: '住民票の写しの請求方法は？' }] });
    // Would be 403 confidentiality_exceeds_clearance (and an audit event) for an admitted caller.
    const blocked = await chat(limited, { model: 'foreign', messages: [{ role: 'user', content: '【極秘】この文書を要約して' }], hiraga: { confidentiality: 3 } });
    // Would be 400 / 404 for an admitted caller.
    const malformed = await call(gw, '/v1/chat/completions', { key: limited, raw: '{"model": "up", "messages": [' });
    const badRole = await chat(limited, { model: 'up', messages: [{ role: 'robot', content: 'x' }] });
    const unknownModel = await chat(limited, { model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] });
    for (const r of [plain, streamed, blocked, malformed, badRole, unknownModel]) {
      expect(r.status).toBe(429);
      expect(r.json.error.code).toBe('rate_limit_exceeded');
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expect(limiter.hits).toBe(hits + 6);
    expect(chats()).toBe(before);
    // No policy decision was recorded for the refused, confidential call.
    expect((await gw.services.audit.query({ tenant: `t${run}`, limit: 10_000 })).length).toBe(events);
  });

  it('another key of the tenant is unaffected: its calls answer, and its policy block is still recorded', async () => {
    const before = chats();
    const ok = await chat(free, { model: 'up', messages: [{ role: 'user', content: '会議室の予約方法を教えてください。' }] });
    expect(ok.status).toBe(200);
    expect(chats()).toBe(before + 1);
    const blocked = await chat(free, { model: 'foreign', messages: [{ role: 'user', content: '【極秘】この文書を要約して' }], hiraga: { confidentiality: 3 } });
    expect(blocked.status).toBe(403);
    expect(blocked.json.error.code).toBe('confidentiality_exceeds_clearance');
    expect(chats()).toBe(before + 1);
    const [newest] = await gw.services.audit.query({ tenant: `t${run}`, limit: 1 });
    expect(newest!.action).toBe('policy.decision');
    expect(newest!.outcome).toBe('block');
    expect(newest!.actor.user).toBe('free');
    const bad = await call(gw, '/v1/chat/completions', { key: free, raw: '{"model": "up", "messages": [' });
    expect(bad.status).toBe(429); // its own limit of 2 is used up by now
  });
});
