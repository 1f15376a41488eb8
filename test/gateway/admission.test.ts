import crypto from 'node:crypto';
import http from 'node:http';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyIdOf, sha256Hex } from '../../src/gateway/auth/keyring.js';
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
  spend(keys: string[], tokens: number, windowMs: number) {
    return this.inner.spend(keys, tokens, windowMs);
  }
  close() {
    return this.inner.close();
  }
}

const run = crypto.randomBytes(4).toString('hex');
const prefix = `hiraga:test:${run}:`;
const PER_KEY = 2;
const tenant = `t${run}`;
const limited = `key-admission-limited-${run}`;
const free = `key-admission-free-${run}`;
/** Keys whose Redis counter is already at the limit (as if other nodes had used it up), so this process has not refused them yet. */
const spent = Array.from({ length: 10 }, (_, i) => `key-admission-spent-${i}-${run}`);
let up: Upstream;
let gw: RunningGateway;
let limiter: SlowRedisLimiter;
let redis: Redis;

const chats = () => up.requests.filter((q) => q.path === '/v1/chat/completions').length;
const chat = (key: string, body: unknown) => call(gw, '/v1/chat/completions', { key, body });
const eventCount = async () => (await gw.services.audit.query({ tenant, limit: 10_000 })).length;

/** A chat call that declares `declared` body bytes and sends only a few: resolves with the status once the gateway answers (or 0 after 5 s). */
function unfinishedBody(key: string, declared: number): Promise<number> {
  return new Promise((resolve) => {
    const url = new URL(`${gw.url}/v1/chat/completions`);
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'content-length': String(declared) } });
    const give = setTimeout(() => {
      req.destroy();
      resolve(0);
    }, 5000);
    req.on('response', (res) => {
      clearTimeout(give);
      res.resume();
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    req.on('error', () => undefined);
    req.write('{"model":"up","messages":[');
  });
}

beforeAll(async () => {
  up = await startUpstream();
  redis = await connectRedis(REDIS_URL!);
  limiter = new SlowRedisLimiter(new RedisRateLimiter(await connectRedis(REDIS_URL!), prefix));
  for (const k of spent) await redis.set(`${prefix}key:${keyIdOf(sha256Hex(k))}`, PER_KEY, 'PX', 60_000);
  gw = await startTestGateway(
    testConfig({
      models: upstreamModels(up.url),
      auth: { apiKeys: [limited, free, ...spent].map((key, i) => ({ key, user: `u${i}`, role: 'staff', tenant })) },
      server: { rateLimitPerKey: PER_KEY, rateLimitPerTenant: 1000 },
    }),
    { limiter },
  );
}, 60_000);

afterAll(async () => {
  await gw?.close();
  await up?.close();
  await redis?.quit();
});

describe('chat and responses calls guarded while Redis decides the rate limit', () => {
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
    const events = await eventCount();
    const hits = limiter.hits;
    // Each on a key this process has not refused yet, so each is read and guarded while Redis decides.
    const [k0, k1, k2, k3, k4, k5] = spent;
    const results = [
      await chat(k0!, { model: 'up', messages: [{ role: 'user', content: '住民票の写しの請求方法は？' }] }),
      await chat(k1!, { model: 'up', stream: true, messages: [{ role: 'user', content: '住民票の写しの請求方法は？' }] }),
      // Would be 403 confidentiality_exceeds_clearance (and an audit event) for an admitted caller.
      await chat(k2!, { model: 'foreign', messages: [{ role: 'user', content: '【極秘】この文書を要約して' }], hiraga: { confidentiality: 3 } }),
      // Would be 400 / 400 / 404 for an admitted caller.
      await call(gw, '/v1/chat/completions', { key: k3!, raw: '{"model": "up", "messages": [' }),
      await chat(k4!, { model: 'up', messages: [{ role: 'robot', content: 'x' }] }),
      await chat(k5!, { model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] }),
      // The Responses API hands the decision to the pipeline in the same way.
      await call(gw, '/v1/responses', { key: spent[7]!, body: { model: 'up', input: '住民票の写しの請求方法は？' } }),
      await call(gw, '/v1/responses', { key: spent[8]!, body: { model: 'up', stream: true, input: '住民票の写しの請求方法は？' } }),
    ];
    for (const r of results) {
      expect(r.status).toBe(429);
      expect(r.json.error.code).toBe('rate_limit_exceeded');
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expect(limiter.hits).toBe(hits + results.length);
    expect(chats()).toBe(before);
    // No policy decision was recorded for the refused, confidential call.
    expect(await eventCount()).toBe(events);
  });

  it('a key refused once is decided before its body is read for the rest of its window, and so is a large body', async () => {
    // `limited` used its two calls in the first test: its third is its first refusal, read while Redis decides.
    expect((await chat(limited, { model: 'up', messages: [{ role: 'user', content: 'x' }] })).status).toBe(429);
    // From now on its calls are answered from the decision alone: a body that never arrives does not hold them up.
    expect(await unfinishedBody(limited, 100)).toBe(429);
    // A key not refused here yet, with a body over 16 KB: decided first too.
    expect(await unfinishedBody(spent[6]!, 20_000)).toBe(429);
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
    const [newest] = await gw.services.audit.query({ tenant, limit: 1 });
    expect(newest!.action).toBe('policy.decision');
    expect(newest!.outcome).toBe('block');
    expect(newest!.actor.user).toBe('u1');
  });
});
