import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpstream, type Upstream } from '../helpers/upstream.js';
import type { RunningGateway } from '../../src/gateway/server.js';
import { call, KEYS, startTestGateway, testConfig, upstreamModels, UPSTREAM_SECRET } from './helpers.js';

let up: Upstream;
let gw: RunningGateway;
let client: OpenAI;

beforeAll(async () => {
  up = await startUpstream();
  gw = await startTestGateway(testConfig({ models: upstreamModels(up.url) }));
  client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: KEYS.staff, maxRetries: 0 });
}, 60_000);

afterAll(async () => {
  await gw?.close();
  await up?.close();
});

describe('the official openai client, unchanged', () => {
  it('lists the models with trust attributes', async () => {
    const page = await client.models.list();
    const ids = page.data.map((m) => m.id).sort();
    expect(ids).toEqual(['extractive', 'foreign', 'up']);
    const foreign = page.data.find((m) => m.id === 'foreign') as any;
    expect(foreign).toMatchObject({ origin: 'foreign', hosting: 'foreign-cloud', clearance: 1 });
    expect(JSON.stringify(page.data)).not.toContain(up.url);
    expect(JSON.stringify(page.data)).not.toContain(UPSTREAM_SECRET);
  });

  it('gets a plain completion through the pipeline, with hiraga governance facts', async () => {
    const r = await client.chat.completions.create({ model: 'up', messages: [{ role: 'user', content: '会議室の予約方法を教えて' }] });
    expect(r.choices[0]!.message.content).toBe('echo: 会議室の予約方法を教えて');
    expect(r.usage!.total_tokens).toBeGreaterThan(0);
    const h = (r as any).hiraga;
    expect(h.confidentiality).toBe(1);
    expect(h.audit_id).toBeGreaterThan(0);
    expect(h.model).toMatchObject({ id: 'up', origin: 'domestic' });
    // the upstream got the configured key, never the caller's
    const last = up.requests.at(-1)!;
    expect(last.headers.authorization).toBe(`Bearer ${UPSTREAM_SECRET}`);
  });

  it('streams over SSE, with include_usage', async () => {
    const stream = await client.chat.completions.create({
      model: 'up',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'ストリーミングで 返事を ください' }],
    });
    let text = '';
    let chunks = 0;
    let usage: OpenAI.CompletionUsage | undefined;
    let finish: string | null = null;
    for await (const ch of stream) {
      chunks++;
      text += ch.choices[0]?.delta?.content ?? '';
      if (ch.choices[0]?.finish_reason) finish = ch.choices[0].finish_reason;
      if (ch.usage) usage = ch.usage;
    }
    expect(text).toBe('echo: ストリーミングで 返事を ください');
    expect(chunks).toBeGreaterThan(3);
    expect(finish).toBe('stop');
    expect(usage?.total_tokens).toBeGreaterThan(0);
  });

  it('a stream carries the request id and the rate-limit count, and its events come in protocol order', async () => {
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEYS.staff}`, 'content-type': 'application/json', 'x-request-id': 'stream-req-7' },
      body: JSON.stringify({ model: 'up', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: '順番を 確かめます' }] }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(res.headers.get('x-request-id')).toBe('stream-req-7');
    expect(Number(res.headers.get('x-ratelimit-remaining'))).toBeGreaterThan(0);
    const events = (await res.text()).split('\n\n').filter(Boolean);
    expect(events.every((e) => e.startsWith('data: '))).toBe(true);
    expect(events.at(-1)).toBe('data: [DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.slice(6)));
    expect(chunks.every((c) => c.id === 'chatcmpl-streamreq7' && c.object === 'chat.completion.chunk')).toBe(true);
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '' });
    const texts = chunks.slice(1, -2);
    expect(texts.length).toBeGreaterThan(1);
    expect(texts.map((c) => c.choices[0].delta.content).join('')).toBe('echo: 順番を 確かめます');
    expect(chunks.at(-2)).toMatchObject({ choices: [{ delta: {}, finish_reason: 'stop' }], hiraga: { policy: 'allow' } });
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { total_tokens: expect.any(Number) } });
  });

  it('masks personal data before it reaches a model without clearance, and restores it for the caller', async () => {
    const before = up.requests.length;
    const r = await client.chat.completions.create({ model: 'foreign', messages: [{ role: 'user', content: '電話番号 090-1234-5678 に折り返してください' }] });
    const sent = up.requests.slice(before).find((q) => q.path === '/v1/chat/completions')!;
    expect(JSON.stringify(sent.body)).not.toContain('090-1234-5678');
    expect(r.choices[0]!.message.content).toContain('090-1234-5678');
    expect((r as any).hiraga.policy).toBe('mask');
    expect((r as any).hiraga.masked[0].type).toBe('phone');
  });

  it('blocks level-3 content for a model cleared for 1, with the policy code, and nothing leaves the process', async () => {
    const before = up.requests.length;
    const err = await client.chat.completions
      .create({ model: 'foreign', messages: [{ role: 'user', content: '【極秘】この文書を要約して' }], hiraga: { confidentiality: 3 } } as any)
      .catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(err.status).toBe(403);
    expect(err.code).toBe('confidentiality_exceeds_clearance');
    expect(up.requests.length).toBe(before);
  });

  it('creates embeddings (float and the base64 the client asks for by default)', async () => {
    const r = await client.embeddings.create({ model: 'up', input: ['地方自治法', '行政手続法'] });
    expect(r.data).toHaveLength(2);
    expect(r.data[0]!.embedding).toHaveLength(64);
    expect(Math.hypot(...r.data[0]!.embedding)).toBeCloseTo(1, 3);
    const f = await client.embeddings.create({ model: 'up', input: '地方自治法', encoding_format: 'float' });
    expect(f.data[0]!.embedding[0]).toBeCloseTo(r.data[0]!.embedding[0]!, 5);
    const bad = await client.embeddings.create({ model: 'foreign', input: 'x' }).catch((e) => e);
    expect(bad.status).toBe(400);
    expect(bad.code).toBe('embeddings_not_configured');
  });

  it('maps upstream failures to 502 without leaking the upstream key', async () => {
    up.script([{ status: 500, body: { error: { message: `boom ${UPSTREAM_SECRET}` } } }]);
    const res = await call(gw, '/v1/chat/completions', { key: KEYS.staff, body: { model: 'up', messages: [{ role: 'user', content: 'hi' }] } });
    expect(res.status).toBe(502);
    expect(res.json.error.type).toBe('upstream_error');
    expect(res.text).not.toContain(UPSTREAM_SECRET);
  });

  it('audits a call whose model failed, plain or mid-stream: the request had left the process', async () => {
    const audited = async (text: string) =>
      ((await call(gw, '/api/audit?limit=20', { key: KEYS.auditor })).json.events as Array<{ outcome: string; action: string; model: { id: string }; detail: { error: string }; content?: { input?: string }; inputSha256: string }>).find((e) =>
        e.content?.input?.includes(text),
      );
    up.script([{ status: 503 }]);
    expect((await call(gw, '/v1/chat/completions', { key: KEYS.staff, body: { model: 'up', messages: [{ role: 'user', content: '失敗する呼び出し' }] } })).status).toBe(502);
    expect(await audited('失敗する呼び出し')).toMatchObject({ action: 'model.call', outcome: 'error', model: { id: 'up' }, detail: { error: 'server_error' }, inputSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    up.script('cut-stream');
    const cut = await call(gw, '/v1/chat/completions', { key: KEYS.staff, body: { model: 'up', stream: true, messages: [{ role: 'user', content: '途中で切れる長めの質問です、よろしくお願いします' }] } });
    expect(cut.status).toBe(200);
    expect(await audited('途中で切れる長めの質問')).toMatchObject({ outcome: 'error', detail: { error: 'connection_lost' } });
  });

  it('records usage per tenant and user, visible at /api/usage', async () => {
    const mine = await call(gw, '/api/usage?groupBy=model&bucket=all', { key: KEYS.staff });
    expect(mine.status).toBe(200);
    const row = mine.json.rows.find((r: any) => r.key === 'up');
    expect(row.calls).toBeGreaterThanOrEqual(2);
    expect(row.cost_jpy).toBeGreaterThan(0);
    const admin = await call(gw, '/api/usage?groupBy=user&bucket=all', { key: KEYS.admin });
    expect(admin.json.rows.map((r: any) => r.key)).toContain('staff1');
    const other = await call(gw, '/api/usage?groupBy=user&bucket=all', { key: KEYS.other });
    expect(other.json.rows).toEqual([]);
  });

  it('accounts and audits a streamed call held for review exactly once', async () => {
    const callsOf = async () => ((await call(gw, '/api/usage?groupBy=user&bucket=all', { key: KEYS.admin })).json.rows.find((r: any) => r.key === 'staff2')?.calls ?? 0) as number;
    const before = await callsOf();
    const r = await call(gw, '/v1/chat/completions', { key: KEYS.staff2, body: { model: 'up', stream: true, messages: [{ role: 'user', content: '一度だけ数える確認待ちの呼び出し' }], hiraga: { review: true } } });
    expect(r.status).toBe(200);
    // Usage rows are written in batches: wait for this one.
    let after = before;
    for (let i = 0; i < 50 && after === before; i++) {
      await new Promise((res) => setTimeout(res, 50));
      after = await callsOf();
    }
    await new Promise((res) => setTimeout(res, 300));
    expect(await callsOf()).toBe(before + 1);
    const events = (await call(gw, '/api/audit?limit=50', { key: KEYS.auditor })).json.events as Array<{ content?: { input?: string } }>;
    expect(events.filter((e) => e.content?.input?.includes('一度だけ数える確認待ち'))).toHaveLength(1);
  });

  it('exports Prometheus metrics for requests, tokens, guard findings and policy outcomes', async () => {
    const res = await call(gw, '/metrics');
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(res.text).toMatch(/hiraga_http_requests_total\{route="\/v1\/chat\/completions",method="POST",status="200"\} \d+/);
    expect(res.text).toMatch(/hiraga_http_request_duration_seconds_bucket\{route="\/v1\/chat\/completions",method="POST",le="\+Inf"\} \d+/);
    expect(res.text).toMatch(/hiraga_tokens_total\{model="up",kind="completion"\} [1-9]/);
    expect(res.text).toMatch(/hiraga_guard_findings_total\{type="phone"\} 1/);
    expect(res.text).toMatch(/hiraga_policy_outcomes_total\{outcome="block",model="foreign"\} 1/);
    expect(res.text).toMatch(/hiraga_policy_outcomes_total\{outcome="mask",model="foreign"\} 1/);
  });
});
