import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../src/gateway/server.js';
import { call, KEYS, startTestGateway, testConfig } from './helpers.js';

/** An upstream that never answers, recording when each request arrives and when its connection closes. */
function hangingUpstream() {
  const seen: { arrived: number; closed?: number }[] = [];
  const server = http.createServer((req, res) => {
    const entry: { arrived: number; closed?: number } = { arrived: Date.now() };
    seen.push(entry);
    req.resume();
    res.on('close', () => (entry.closed = Date.now()));
  });
  return new Promise<{ url: string; seen: typeof seen; close(): Promise<void> }>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
        seen,
        close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
      }),
    ),
  );
}

let hang: Awaited<ReturnType<typeof hangingUpstream>>;
let gw: RunningGateway;

beforeAll(async () => {
  hang = await hangingUpstream();
  gw = await startTestGateway(
    testConfig({
      models: [{ id: 'hang', provider: 'openai-compatible', baseUrl: hang.url, model: 'm', clearance: 3, origin: 'domestic', hosting: 'on-prem', retries: 0, timeoutMs: 60_000 }],
      defaultModel: 'hang',
      server: { maxBodyBytes: 4096, maxMessages: 3, maxMessageChars: 100, rateLimitPerKey: 40, rateLimitPerTenant: 1000, requestTimeoutMs: 1500 },
    }),
  );
}, 60_000);

afterAll(async () => {
  await gw?.close();
  await hang?.close();
});

const msg = (content: string) => ({ model: 'hang', messages: [{ role: 'user', content }] });

describe('identity', () => {
  it('401 without a key, with a wrong key, and with a malformed header — in the OpenAI error shape', async () => {
    for (const init of [{}, { key: 'not-a-real-key-000' }, { headers: { authorization: 'Basic abc' } }]) {
      const r = await call(gw, '/v1/models', init);
      expect(r.status).toBe(401);
      expect(Object.keys(r.json.error).sort()).toEqual(expect.arrayContaining(['message', 'type', 'code']));
      expect(r.json.error.type).toBe('authentication_error');
    }
  });

  it('403 for a role without the right', async () => {
    const form = new FormData();
    form.append('files', new Blob(['本文']), 'a.txt');
    const r = await fetch(`${gw.url}/api/collections/c1/ingest`, { method: 'POST', headers: { authorization: `Bearer ${KEYS.auditor}` }, body: form });
    expect(r.status).toBe(403);
    expect((await r.json()).error.type).toBe('permission_error');
  });

  it('/api/me reports who the key belongs to', async () => {
    expect((await call(gw, '/api/me', { key: KEYS.other })).json).toEqual({ user: 'staff9', role: 'staff', tenant: 'chiyoda' });
  });
});

describe('bad input says what to fix', () => {
  it('400 on malformed JSON and on an empty body', async () => {
    const r = await call(gw, '/v1/chat/completions', { key: KEYS.staff, raw: '{"model": "hang", "messages": [' });
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe('invalid_json');
    expect((await call(gw, '/v1/chat/completions', { key: KEYS.staff, raw: '' })).status).toBe(400);
  });

  it('400 for an upload whose multipart body is cut off, and nothing is stored', async () => {
    const r = await fetch(`${gw.url}/api/collections/cut/ingest`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEYS.staff}`, 'content-type': 'multipart/form-data; boundary=xx' },
      body: '--xx\r\nContent-Disposition: form-data; name="files"; filename="a.txt"\r\n\r\n本文',
    });
    expect(r.status).toBe(400);
    const body = (await r.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('invalid_multipart');
    expect(body.error.message).toContain('multipart');
    expect((await call(gw, '/api/collections', { key: KEYS.staff })).json.some((c: { name: string }) => c.name === 'cut')).toBe(false);
  });

  it('400 naming the field for wrong types', async () => {
    const r = await call(gw, '/v1/chat/completions', { key: KEYS.staff, body: { model: 'hang', messages: [{ role: 'user', content: 42 }] } });
    expect(r.status).toBe(400);
    expect(r.json.error.message).toContain('messages[0].content');
    const t = await call(gw, '/v1/chat/completions', { key: KEYS.staff, body: { ...msg('x'), temperature: 'hot' } });
    expect(t.status).toBe(400);
    expect(t.json.error.param).toBe('temperature');
  });

  it('404 model_not_found listing the models', async () => {
    const r = await call(gw, '/v1/chat/completions', { key: KEYS.staff, body: { model: 'gpt-17', messages: [{ role: 'user', content: 'x' }] } });
    expect(r.status).toBe(404);
    expect(r.json.error.code).toBe('model_not_found');
    expect(r.json.error.message).toContain('hang');
  });

  it('413 for a body over the limit; 400 for too many or too long messages', async () => {
    const big = await call(gw, '/v1/chat/completions', { key: KEYS.staff, body: msg('あ'.repeat(5000)) });
    expect(big.status).toBe(413);
    // chunked (no Content-Length): counted while streaming
    const chunked = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEYS.staff}`, 'content-type': 'application/json' },
      body: new ReadableStream({ start(ctl) { ctl.enqueue(new TextEncoder().encode(JSON.stringify(msg('い'.repeat(5000))))); ctl.close(); } }),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect((await chunked.json()).error.code).toBe('body_too_large');
    const many = await call(gw, '/v1/chat/completions', { key: KEYS.staff, body: { model: 'hang', messages: Array.from({ length: 4 }, () => ({ role: 'user', content: 'x' })) } });
    expect(many.status).toBe(400);
    expect(many.json.error.message).toContain('maxMessages');
    // Japanese first, as the workspace shows it, and naming the field.
    expect(many.json.error).toMatchObject({ code: 'too_many_messages', param: 'messages' });
    expect(many.json.error.message).toMatch(/^メッセージが多すぎます（4 件、上限 3 件）/);
    const long = await call(gw, '/v1/chat/completions', { key: KEYS.staff, body: msg('x'.repeat(101)) });
    expect(long.status).toBe(400);
    expect(long.json.error.message).toContain('maxMessageChars');
    expect(long.json.error).toMatchObject({ code: 'message_too_long', param: 'messages[0].content' });
    expect(long.json.error.message).toMatch(/^メッセージが長すぎます（101 文字、上限 100 文字）/);
  });

  it('404 in the error shape for unknown routes', async () => {
    const r = await call(gw, '/v1/nothing', { key: KEYS.staff });
    expect(r.status).toBe(404);
    expect(r.json.error.code).toBe('unknown_route');
  });
});

describe('deadlines and disconnects', () => {
  it('504 when the request deadline passes, and the upstream call is cancelled', async () => {
    const before = hang.seen.length;
    const t0 = Date.now();
    const r = await call(gw, '/v1/chat/completions', { key: KEYS.staff2, body: msg('待ちます') });
    expect(r.status).toBe(504);
    expect(r.json.error.code).toBe('request_timeout');
    expect(Date.now() - t0).toBeLessThan(5000);
    await new Promise((res) => setTimeout(res, 200));
    const upstreamCall = hang.seen[before]!;
    expect(upstreamCall.closed).toBeDefined();
  });

  it('504 on the Responses API too, with the upstream call cancelled', async () => {
    const before = hang.seen.length;
    const r = await call(gw, '/v1/responses', { key: KEYS.staff2, body: { model: 'hang', input: '待ちます', stream: true } });
    expect(r.status).toBe(504);
    expect(r.json.error.code).toBe('request_timeout');
    await new Promise((res) => setTimeout(res, 200));
    expect(hang.seen[before]!.closed).toBeDefined();
  });

  it.each([
    ['/v1/chat/completions', true],
    ['/v1/chat/completions', false],
    ['/v1/responses', true],
    ['/v1/responses', false],
  ] as const)('a client that disconnects cancels the upstream call (%s, stream: %s)', async (route, stream) => {
    const before = hang.seen.length;
    const ctl = new AbortController();
    const p = fetch(`${gw.url}${route}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEYS.staff2}`, 'content-type': 'application/json' },
      body: JSON.stringify(route === '/v1/responses' ? { model: 'hang', input: '途中でやめます', stream } : { ...msg('途中でやめます'), stream }),
      signal: ctl.signal,
    }).catch((e) => e);
    while (hang.seen.length === before) await new Promise((res) => setTimeout(res, 10));
    ctl.abort();
    await p;
    const entry = hang.seen[before]!;
    const deadline = Date.now() + 1000;
    while (!entry.closed && Date.now() < deadline) await new Promise((res) => setTimeout(res, 10));
    expect(entry.closed).toBeDefined();
    // well before the 1.5 s request deadline would have closed it
    expect(entry.closed! - entry.arrived).toBeLessThan(1000);
  });
});

describe('rate limits', () => {
  it('429 with Retry-After once a key passes its limit; other keys are unaffected', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 45; i++) statuses.push((await call(gw, '/v1/models', { key: KEYS.admin })).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(40);
    expect(statuses.slice(40).every((s) => s === 429)).toBe(true);
    const r = await call(gw, '/v1/models', { key: KEYS.admin });
    expect(r.json.error.type).toBe('rate_limit_error');
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await call(gw, '/v1/models', { key: KEYS.reviewer })).status).toBe(200);
  });
});

describe('open endpoints', () => {
  it('/healthz is open and reports the store', async () => {
    const r = await call(gw, '/healthz');
    expect(r.status).toBe(200);
    expect(r.json.status).toBe('ok');
  });

  it('the web UI placeholder is Japanese-first when dist/web is absent, and paths never escape the web folder', async () => {
    const r = await call(gw, '/');
    expect(r.text).toContain('<html lang="ja">');
    const esc = await fetch(`${gw.url}/..%2f..%2fpackage.json`);
    expect(esc.status).toBe(404);
  });
});
