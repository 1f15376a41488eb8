/**
 * Token limits per user and per tenant (server.tokenLimitPerUser / tokenLimitPerTenant): what calls spent in
 * the window is counted from their usage (chat, streams, responses, embeddings), a call is refused 429 once a
 * bucket is spent — before anything reaches the model —, other users, tenants and routes that use no model go
 * on, the window resets; in memory on one node, and through Redis across two nodes.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis, RedisRateLimiter } from '../../src/gateway/limits/redis-rate-limiter.js';
import type { RunningGateway } from '../../src/gateway/server.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';
import { call, KEYS, startTestGateway, testConfig, upstreamModels } from './helpers.js';

const REDIS_URL = process.env.HIRAGA_TEST_REDIS_URL;

let up: Upstream;
const toModel = () => up.requests.filter((q) => q.method === 'POST').length;
const chat = (gw: { url: string }, key: string, content: string, extra: Record<string, unknown> = {}) =>
  call(gw, '/v1/chat/completions', { key, body: { model: 'up', messages: [{ role: 'user', content }], ...extra } });
const tokensOf = (r: { json: any }) => r.json.usage.total_tokens as number;

beforeAll(async () => {
  up = await startUpstream();
});
afterAll(async () => {
  await up?.close();
});

describe('token limits on one node (memory)', () => {
  let gw: RunningGateway;
  const PER_USER = 60;
  const PER_TENANT = 100;
  beforeAll(async () => {
    gw = await startTestGateway(testConfig({ models: upstreamModels(up.url), server: { tokenLimitPerUser: PER_USER, tokenLimitPerTenant: PER_TENANT } }));
  }, 60_000);
  afterAll(async () => {
    await gw?.close();
  });

  it('counts what each call spent, says what is left, and refuses a user whose window is spent — nothing reaches the model', async () => {
    // Plain chat, a stream and the Responses API in turn, until the user's window is spent.
    const kinds = [
      async () => {
        const r = await chat(gw, KEYS.staff, '住民票の写しの請求方法を教えてください');
        return { r, tokens: r.status === 200 ? tokensOf(r) : 0 };
      },
      async () => {
        const r = await chat(gw, KEYS.staff, '印鑑登録証明書は？', { stream: true, stream_options: { include_usage: true } });
        const last = r.text.split('\n\n').filter((e) => e.includes('"usage"')).at(-1);
        return { r, tokens: last ? JSON.parse(last.slice('data: '.length)).usage.total_tokens : 0 };
      },
      async () => {
        const r = await call(gw, '/v1/responses', { key: KEYS.staff, body: { model: 'up', input: '戸籍謄本は？' } });
        return { r, tokens: r.status === 200 ? r.json.usage.total_tokens : 0 };
      },
    ];
    let spent = 0;
    let calls = 0;
    for (; calls < 30; calls++) {
      const { r, tokens } = await kinds[calls % kinds.length]!();
      if (r.status === 429) break;
      expect(r.status).toBe(200);
      // Checked before the call: what the earlier calls left (the user's bucket is the tighter one here).
      expect(r.headers.get('x-ratelimit-remaining-tokens')).toBe(String(PER_USER - spent));
      expect(tokens).toBeGreaterThan(0);
      spent += tokens;
    }
    expect(calls).toBeGreaterThanOrEqual(kinds.length);
    expect(spent).toBeGreaterThanOrEqual(PER_USER);

    const before = toModel();
    const refused = await chat(gw, KEYS.staff, 'もう一つ質問です');
    expect(refused.status).toBe(429);
    expect(refused.json.error.code).toBe('rate_limit_exceeded');
    expect(refused.json.error.message).toContain(`${PER_USER}トークン`);
    expect(refused.json.error.message).toContain('per user');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('x-ratelimit-remaining-tokens')).toBe('0');
    const embeddings = await call(gw, '/v1/embeddings', { key: KEYS.staff, body: { model: 'up', input: '地方自治法' } });
    expect(embeddings.status).toBe(429);
    // 資料QA and apps use a model too: refused before they look for the collection or the app.
    expect((await call(gw, '/api/ask', { key: KEYS.staff, body: { collection: 'sample', question: '質問' } })).status).toBe(429);
    expect((await call(gw, '/api/apps/summarize/run', { key: KEYS.staff, body: { inputs: { text: '本文' } } })).status).toBe(429);
    expect(toModel()).toBe(before);

    // Routes that use no model still answer; so does another user of the tenant, while the tenant has tokens left.
    expect((await call(gw, '/api/usage?groupBy=user&bucket=all', { key: KEYS.staff })).status).toBe(200);
    expect((await call(gw, '/v1/models', { key: KEYS.staff })).status).toBe(200);
    const other = await chat(gw, KEYS.staff2, '転入届の期限は？');
    expect(other.status).toBe(200);
    expect(Number(other.headers.get('x-ratelimit-remaining-tokens'))).toBe(PER_TENANT - spent);

    const metrics = await call(gw, '/metrics');
    expect(metrics.text).toMatch(/hiraga_rate_limited_total\{scope="user_tokens"\} 5/); // the loop’s last call, the chat, embeddings, 資料QA and the app
  });

  it('refuses every user of a tenant once the tenant is spent, embeddings counted; another tenant goes on', async () => {
    let refused;
    for (let i = 0; i < 30 && !refused; i++) {
      const r = await call(gw, '/v1/embeddings', { key: KEYS.reviewer, body: { model: 'up', input: ['行政手続法の目的', '情報公開法の対象'] } });
      if (r.status === 429) refused = r;
      else expect(r.status).toBe(200);
    }
    expect(refused).toBeDefined();
    // A user who has spent little is refused too, by the tenant's limit.
    const admin = await chat(gw, KEYS.admin, '審査基準は？');
    expect(admin.status).toBe(429);
    expect(admin.json.error.message).toContain(`${PER_TENANT}トークン`);
    expect(admin.json.error.message).toContain('per tenant');
    expect((await chat(gw, KEYS.other, '千代田区の窓口は？')).status).toBe(200);
    const metrics = await call(gw, '/metrics');
    expect(metrics.text).toMatch(/hiraga_rate_limited_total\{scope="tenant_tokens"\} [1-9]/);
  });

  it('shows the token limits in the admin policy view', async () => {
    const p = await call(gw, '/api/admin/policies', { key: KEYS.admin });
    expect(p.json.rateLimits).toMatchObject({ tokensPerUser: PER_USER, tokensPerTenant: PER_TENANT });
  });
});

describe('the token window resets', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startTestGateway(testConfig({ models: upstreamModels(up.url), server: { tokenLimitPerUser: 10, rateLimitWindowMs: 1500 } }));
  }, 60_000);
  afterAll(async () => {
    await gw?.close();
  });

  it('lets the user call again in the next window', async () => {
    expect((await chat(gw, KEYS.staff, '十文字を超える長さの質問をします')).status).toBe(200);
    const refused = await chat(gw, KEYS.staff, 'もう一度');
    expect(refused.status).toBe(429);
    const wait = Number(refused.headers.get('retry-after'));
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(2);
    await new Promise((r) => setTimeout(r, 1600));
    expect((await chat(gw, KEYS.staff, 'もう一度')).status).toBe(200);
  });
});

describe.skipIf(!REDIS_URL)('token limits shared through Redis by two nodes', () => {
  const prefix = `hiraga:test:tok:${crypto.randomBytes(4).toString('hex')}:`;
  let a: RunningGateway;
  let b: RunningGateway;
  beforeAll(async () => {
    const config = testConfig({ models: upstreamModels(up.url), server: { tokenLimitPerUser: 30 } });
    a = await startTestGateway(config, { limiter: new RedisRateLimiter(await connectRedis(REDIS_URL!), prefix) });
    b = await startTestGateway(testConfig({ models: upstreamModels(up.url), server: { tokenLimitPerUser: 30 } }), { limiter: new RedisRateLimiter(await connectRedis(REDIS_URL!), prefix) });
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('what a user spent through one node is counted by the other', async () => {
    let spent = 0;
    while (spent < 30) {
      const r = await chat(a, KEYS.staff, '国民健康保険の手続きを教えてください');
      expect(r.status).toBe(200);
      spent += tokensOf(r);
    }
    // The spend is recorded after the call, without waiting: give it a moment to reach Redis.
    let status = 0;
    for (let i = 0; i < 20 && status !== 429; i++) {
      status = (await chat(b, KEYS.staff, 'もう一つ')).status;
      if (status !== 429) await new Promise((r) => setTimeout(r, 50));
    }
    expect(status).toBe(429);
    const remaining = await chat(b, KEYS.staff2, '別の利用者');
    expect(remaining.status).toBe(200);
    expect(remaining.headers.get('x-ratelimit-remaining-tokens')).toBe('30');
  });
});
