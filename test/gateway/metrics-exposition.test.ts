/**
 * /metrics as Prometheus reads it: the whole exposition through a strict reader of the text format 0.0.4
 * (test/helpers/prom-text.ts), bounded series under random model ids, paths and names, no personal data or
 * secret in it, and counters that add up after a burst of 200 concurrent calls. A real gateway on 127.0.0.1
 * with the scripted upstream.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../src/gateway/server.js';
import { parsePrometheusText, sampleSum, seriesCount, type Family } from '../helpers/prom-text.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';
import { apiKeys, call, KEYS, startTestGateway, testConfig, upstreamModels } from './helpers.js';

const ODD_TENANT = '港区"本庁\\第2\n課';
const ODD_KEY = 'key-odd-tenant-000000001';
const PERSONAL = ['123456789018', '山田太郎', '090-1234-5678', 'yamada.taro@example.go.jp'];
const PROMPT = 'マイナンバー 123456789018 の山田太郎さん（090-1234-5678、yamada.taro@example.go.jp）について';

let up: Upstream;
let gw: RunningGateway;

beforeAll(async () => {
  up = await startUpstream();
  const keys = [...apiKeys(), { key: ODD_KEY, user: 'odd', role: 'staff', tenant: ODD_TENANT, expiresAt: '2999-01-31' }];
  // foreign-emb: an embedding model cleared for level 1, to be refused a マイナンバー.
  const models: Array<Record<string, unknown>> = upstreamModels(up.url);
  models.push(Object.assign({}, models[1], { id: 'foreign-emb', embeddingModel: 'upstream-model' }));
  const config = testConfig({
    models,
    auth: { apiKeys: keys },
    budgets: { default: { monthlyJpy: 100_000, monthlyTokens: 10_000_000 } },
    server: { rateLimitPerKey: 1_000_000, rateLimitPerTenant: 1_000_000 },
  });
  gw = await startTestGateway(config);
});

afterAll(async () => {
  await gw?.close();
  await up?.close();
});

async function scrape(): Promise<{ text: string; families: Map<string, Family>; contentType: string | null }> {
  const r = await call(gw, '/metrics');
  expect(r.status).toBe(200);
  return { text: r.text, families: parsePrometheusText(r.text), contentType: r.headers.get('content-type') };
}

const chat = (key: string, body: Record<string, unknown>) => call(gw, '/v1/chat/completions', { key, body: Object.assign({ model: 'up', messages: [{ role: 'user', content: PROMPT }] }, body) });

describe('/metrics', () => {
  it('is valid text format 0.0.4 with odd label values, and holds no personal data, key or user name', async () => {
    expect((await chat(ODD_KEY, {})).status).toBe(200);
    expect((await chat(KEYS.staff, { stream: true })).status).toBe(200);
    expect((await chat(KEYS.staff, { model: 'foreign' })).status).toBe(403);
    expect((await chat(KEYS.staff, { model: 'foreign', messages: [{ role: 'user', content: '山田太郎さん 090-1234-5678' }] })).status).toBe(200);
    expect((await chat('sk-wrong-key-0123456789', {})).status).toBe(401);

    const { text, families, contentType } = await scrape();
    expect(contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    // The tenant with a quote, a backslash, a newline and Japanese comes back as it was.
    const expiry = families.get('hiraga_api_key_expiry_timestamp_seconds')!.samples.find((s) => s.labels.tenant === ODD_TENANT);
    expect(expiry?.value).toBeGreaterThan(Date.parse('2999-01-31T00:00:00+09:00') / 1000);
    expect(families.get('hiraga_budget_spent')!.samples.some((s) => s.labels.tenant === ODD_TENANT && s.labels.unit === 'tokens' && s.value > 0)).toBe(true);
    for (const f of families.values()) expect(f.help.trim(), `${f.name} has no HELP`).not.toBe('');
    for (const p of [...PERSONAL, ...Object.values(KEYS), ODD_KEY, 'sk-wrong-key', 'staff1', 'odd"']) expect(text).not.toContain(p);
    expect(sampleSum(families, 'hiraga_guard_findings_total', { type: 'phone' })).toBeGreaterThanOrEqual(1);
    expect(sampleSum(families, 'hiraga_policy_outcomes_total', { outcome: 'block', model: 'foreign' })).toBe(1);
    expect(sampleSum(families, 'hiraga_policy_outcomes_total', { outcome: 'mask', model: 'foreign' })).toBe(1);
  });

  it('counts a refused request under the route it was for: a 401 or 413 of /v1/chat/completions is not "/v1/*" or "static"', async () => {
    const before = (await scrape()).families;
    expect((await chat('sk-wrong-key-0123456789', {})).status).toBe(401);
    expect((await call(gw, '/v1/models', { key: 'sk-wrong-key-0123456789' })).status).toBe(401);
    const tooLarge = 'あ'.repeat(gw.services.config.server.maxBodyBytes);
    expect((await chat(KEYS.staff, { messages: [{ role: 'user', content: tooLarge }] })).status).toBe(413);
    const after = (await scrape()).families;
    const d = (m: Record<string, string>) => sampleSum(after, 'hiraga_http_requests_total', m) - sampleSum(before, 'hiraga_http_requests_total', m);
    expect(d({ route: '/v1/chat/completions', method: 'POST', status: '401' })).toBe(1);
    expect(d({ route: '/v1/models', method: 'GET', status: '401' })).toBe(1);
    expect(d({ route: '/v1/chat/completions', method: 'POST', status: '413' })).toBe(1);
    expect(d({ route: '/v1/chat/completions', method: 'POST' })).toBe(2);
    expect(sampleSum(after, 'hiraga_http_requests_total', { route: '/v1/*' })).toBe(0);
    expect(sampleSum(after, 'hiraga_http_requests_total', { route: 'static' })).toBe(0);
  });

  it('counts a rate-limit refusal under its route, and in hiraga_rate_limited_total, which is there at 0 before the first', async () => {
    const config = testConfig({ models: upstreamModels(up.url), server: { rateLimitPerKey: 2, rateLimitWindowMs: 60_000 } });
    const limited = await startTestGateway(config);
    try {
      // Before anything happened, the series an alert watches for an increase are there at 0: increase() sees
      // nothing when a series first appears at 1.
      const fresh = (await call(limited, '/metrics')).text;
      for (const line of [
        'hiraga_rate_limited_total{scope="key"} 0',
        'hiraga_rate_limited_total{scope="tenant_tokens"} 0',
        'hiraga_rate_limiter_errors_total 0',
        'hiraga_api_key_reloads_total{outcome="error"} 0',
        'hiraga_policy_outcomes_total{outcome="block",model="up"} 0',
        'hiraga_policy_outcomes_total{outcome="mask",model="foreign"} 0',
      ])
        expect(fresh.split('\n')).toContain(line);
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await call(limited, '/v1/chat/completions', { key: KEYS.staff, body: { model: 'up', messages: [{ role: 'user', content: 'こんにちは' }] } })).status);
      expect(statuses).toEqual([200, 200, 429, 429]);
      const families = parsePrometheusText((await call(limited, '/metrics')).text);
      expect(sampleSum(families, 'hiraga_http_requests_total', { route: '/v1/chat/completions', status: '429' })).toBe(2);
      expect(sampleSum(families, 'hiraga_rate_limited_total', { scope: 'key' })).toBe(2);
      expect(sampleSum(families, 'hiraga_http_request_duration_seconds_count', { route: '/v1/chat/completions' })).toBe(4);
    } finally {
      await limited.close();
    }
  });

  it('counts a policy block of /v1/embeddings once, under its model', async () => {
    const before = (await scrape()).families;
    const r = await call(gw, '/v1/embeddings', { key: KEYS.staff, body: { model: 'foreign-emb', input: PROMPT } });
    expect(r.status).toBe(403);
    const after = (await scrape()).families;
    const d = (m: Record<string, string>) => sampleSum(after, 'hiraga_policy_outcomes_total', m) - sampleSum(before, 'hiraga_policy_outcomes_total', m);
    expect(d({ outcome: 'block' })).toBe(1);
    expect(d({ outcome: 'block', model: 'foreign-emb' })).toBe(1);
  });

  it('does not grow a series per unknown model id, path or name (1,000 of each)', async () => {
    const rnd = (i: number) => `${i}-${Math.random().toString(36).slice(2)}`;
    const round = (i: number) =>
      Promise.all([
        chat(KEYS.staff, { model: `m-${rnd(i)}` }),
        call(gw, `/${rnd(i)}/${rnd(i)}`),
        call(gw, `/v1/${rnd(i)}`, { key: KEYS.staff }),
        call(gw, `/api/${rnd(i)}`, { key: KEYS.staff, body: {} }),
        call(gw, `/api/collections/${rnd(i)}`, { key: KEYS.staff }),
        call(gw, `/v1/${rnd(i)}`, { key: `sk-${rnd(i)}` }),
      ]);
    await round(0); // the first of each kind may add its (fixed) series
    const before = seriesCount((await scrape()).families);
    for (let i = 1; i <= 1000; i += 10) await Promise.all(Array.from({ length: 10 }, (_, j) => round(i + j)));
    const { families, text } = await scrape();
    expect(seriesCount(families)).toBe(before);
    expect(text).not.toMatch(/m-\d+-/);
  });

  it('adds up after 200 concurrent calls: requests, latency observations, streams counted once, tokens, policy outcomes', async () => {
    const before = (await scrape()).families;
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => {
        const stream = i % 2 === 0;
        const model = i % 4 < 2 ? 'up' : 'foreign';
        const content = i % 3 === 0 ? '山田太郎さんの電話は 090-1234-5678 です' : 'こんにちは';
        return chat(KEYS.staff, { model, stream, messages: [{ role: 'user', content }], ...(stream ? { stream_options: { include_usage: true } } : {}) });
      }),
    );
    expect(results.map((r) => r.status)).toEqual(new Array(200).fill(200));
    let prompt = 0;
    let completion = 0;
    for (const r of results) {
      const usage = r.json?.usage ?? r.text.split('\n').filter((l) => l.startsWith('data: {')).map((l) => JSON.parse(l.slice(6))).find((e) => e.usage)?.usage;
      prompt += usage.prompt_tokens;
      completion += usage.completion_tokens;
    }
    const after = (await scrape()).families;
    const d = (name: string, m: Record<string, string> = {}) => sampleSum(after, name, m) - sampleSum(before, name, m);
    const route = { route: '/v1/chat/completions', method: 'POST' };
    expect(d('hiraga_http_requests_total', Object.assign({ status: '200' }, route))).toBe(200);
    expect(d('hiraga_http_request_duration_seconds_count', route)).toBe(200);
    expect(d('hiraga_stream_first_token_seconds_count')).toBe(100);
    expect(d('hiraga_tokens_total', { kind: 'prompt' })).toBe(prompt);
    expect(d('hiraga_tokens_total', { kind: 'completion' })).toBe(completion);
    expect(d('hiraga_policy_outcomes_total')).toBe(200);
    // foreign (clearance 1) gets level-2 text masked: i % 4 ∈ {2, 3} and i % 3 = 0 → 34 of 200.
    expect(d('hiraga_policy_outcomes_total', { outcome: 'mask', model: 'foreign' })).toBe(34);
    expect(d('hiraga_guard_findings_total', { type: 'phone' })).toBe(34);
    expect(sampleSum(after, 'hiraga_streams_active')).toBe(0);
  });
});
