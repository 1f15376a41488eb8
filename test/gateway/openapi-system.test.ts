import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../src/gateway/server.js';
import { call, KEYS, startTestGateway, testConfig } from './helpers.js';

let gw: RunningGateway;
beforeAll(async () => {
  gw = await startTestGateway(testConfig({ models: [], defaultModel: 'extractive' }));
}, 60_000);
afterAll(async () => {
  await gw?.close();
});

describe('/openapi.json', () => {
  it('is OpenAPI 3.1 and describes every route the server registers', async () => {
    const doc = (await call(gw, '/openapi.json')).json;
    expect(doc.openapi).toBe('3.1.0');
    const registered = gw.app.routes
      .filter((r) => r.method !== 'ALL' && r.path !== '/*')
      .map((r) => ({ method: r.method.toLowerCase(), path: r.path.replace(/:([A-Za-z]+)/g, '{$1}') }));
    expect(registered.length).toBeGreaterThan(15);
    const missing = registered.filter((r) => !doc.paths[r.path]?.[r.method]).map((r) => `${r.method} ${r.path}`);
    expect(missing).toEqual([]);
    // and nothing described that does not exist
    const described = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops as object).map((m) => `${m} ${p}`));
    const known = new Set(registered.map((r) => `${r.method} ${r.path}`));
    expect(described.filter((d) => !known.has(d))).toEqual([]);
  });
});

describe('the JSON API over the embedded store', () => {
  it('ingests uploaded files in the background, reports progress, and answers with citations — within the tenant', async () => {
    const form = new FormData();
    form.append('files', new Blob(['# 会議室規程\n\n## 第1条\n会議室の予約は、利用日の7日前までに総務課へ申請しなければならない。\n']), '会議室規程.md');
    const res = await fetch(`${gw.url}/api/collections/rules/ingest`, { method: 'POST', headers: { authorization: `Bearer ${KEYS.staff}` }, body: form });
    expect(res.status).toBe(202);
    const { job } = await res.json();
    let state = '';
    for (let i = 0; i < 200 && state !== 'done' && state !== 'failed'; i++) {
      state = (await call(gw, `/api/jobs/${job}`, { key: KEYS.staff })).json.state;
      if (state !== 'done') await new Promise((r) => setTimeout(r, 50));
    }
    expect(state).toBe('done');
    expect((await call(gw, `/api/jobs/${job}`, { key: KEYS.other })).status).toBe(404);

    const cols = await call(gw, '/api/collections', { key: KEYS.staff });
    expect(cols.json).toEqual([{ name: 'rules', documents: 1, chunks: expect.any(Number) }]);
    expect((await call(gw, '/api/collections', { key: KEYS.other })).json).toEqual([]);

    const hits = await call(gw, '/api/search', { key: KEYS.staff, body: { collection: 'rules', query: '会議室の予約' } });
    expect(hits.json.hits[0].source).toBe('会議室規程.md');
    expect((await call(gw, '/api/search', { key: KEYS.other, body: { collection: 'rules', query: '会議室の予約' } })).status).toBe(404);

    const ask = await call(gw, '/api/ask', { key: KEYS.staff, body: { collection: 'rules', question: '会議室の予約はいつまでに申請しますか' } });
    expect(ask.status).toBe(200);
    expect(ask.json.citations[0].source).toBe('会議室規程.md');
    expect(ask.json.auditId).toBeGreaterThan(0);
    expect(ask.json.modelInfo).toMatchObject({ origin: 'domestic', hosting: 'on-prem' });
  });

  it('audit: auditors read the tenant events and verify the chain; staff may not', async () => {
    expect((await call(gw, '/api/audit', { key: KEYS.staff })).status).toBe(403);
    const ev = await call(gw, '/api/audit?limit=50', { key: KEYS.auditor });
    expect(ev.status).toBe(200);
    expect(ev.json.events.length).toBeGreaterThan(0);
    expect(ev.json.events.every((e: any) => e.actor.tenant === 'minato')).toBe(true);
    const v = await call(gw, '/api/audit/verify', { key: KEYS.auditor, method: 'POST' });
    expect(v.json.ok).toBe(true);
    // How far the signed checkpoints reach: what the last one covers plus what comes after it is the whole log.
    expect(v.json.unanchored).toBeGreaterThanOrEqual(0);
    expect((v.json.lastCheckpoint?.treeSize ?? 0) + v.json.unanchored).toBe(v.json.events);
    if (v.json.lastCheckpoint) expect(Number.isNaN(Date.parse(v.json.lastCheckpoint.time))).toBe(false);
  });

  it('apps: lists built-in apps', async () => {
    const r = await call(gw, '/api/apps', { key: KEYS.staff });
    expect(r.status).toBe(200);
    expect(r.json.some((a: any) => a.builtin)).toBe(true);
  });
});

/** JSON type of a value as a schema names it. */
const jsonType = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v);

/** Properties of `value` whose type the (flat) object schema does not allow, as "name: type". */
function offSchema(value: Record<string, unknown>, schema: { properties: Record<string, { type?: string | string[] }> }): string[] {
  return Object.entries(value).flatMap(([k, v]) => {
    const declared = schema.properties[k]?.type;
    if (declared === undefined) return [];
    const allowed = [declared].flat();
    const t = jsonType(v);
    return allowed.includes(t) || (t === 'integer' && allowed.includes('number')) ? [] : [`${k}: ${t}`];
  });
}

describe('/openapi.json says what the routes answer', () => {
  let doc: any;
  beforeAll(async () => {
    doc = (await call(gw, '/openapi.json')).json;
  });
  const responsesOf = (p: string, method: string) => Object.keys(doc.paths[p][method].responses);

  it('every /v1 and /api operation lists 401 and 429; every operation with a body lists 413', () => {
    const missing: string[] = [];
    for (const [p, ops] of Object.entries(doc.paths as Record<string, Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>>)) {
      for (const [method, o] of Object.entries(ops)) {
        const want = [...(/^\/(v1|api)\//.test(p) ? ['401', '429'] : []), ...(o.requestBody ? ['413'] : [])];
        for (const code of want) if (!o.responses[code]) missing.push(`${method} ${p} ${code}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('a review item of a call without an app has app null, as ReviewItem allows', async () => {
    const held = await call(gw, '/v1/chat/completions', { key: KEYS.staff, body: { model: 'extractive', messages: [{ role: 'user', content: '確認が必要な質問です' }], hiraga: { review: true } } });
    expect(held.status, held.text).toBe(200);
    const item = await call(gw, `/api/review/${held.json.hiraga.review.id}`, { key: KEYS.reviewer });
    expect(item.status).toBe(200);
    expect(item.json.app).toBeNull();
    expect(offSchema(item.json, doc.components.schemas.ReviewItem)).toEqual([]);
  });

  it('GET /api/review/{id} with an id that is not a number: 400, documented', async () => {
    expect((await call(gw, '/api/review/abc', { key: KEYS.reviewer })).status).toBe(400);
    expect(responsesOf('/api/review/{id}', 'get')).toContain('400');
  });

  it('POST /api/collections/{name}/ingest without multipart: 415 unsupported_media_type, documented', async () => {
    const r = await call(gw, '/api/collections/rules/ingest', { key: KEYS.staff, body: { files: ['a.txt'] } });
    expect(r.status).toBe(415);
    expect(r.json.error.code).toBe('unsupported_media_type');
    expect(responsesOf('/api/collections/{name}/ingest', 'post')).toContain('415');
  });

  it('POST /api/ask with stream: true answers text/event-stream, documented', async () => {
    const form = new FormData();
    form.append('files', new Blob(['# 駐輪場規程\n\n駐輪場の利用登録は、毎年四月に更新しなければならない。\n']), '駐輪場規程.md');
    const up = await fetch(`${gw.url}/api/collections/bikes/ingest`, { method: 'POST', headers: { authorization: `Bearer ${KEYS.staff}` }, body: form });
    const { job } = (await up.json()) as { job: string };
    for (let i = 0; i < 200 && (await call(gw, `/api/jobs/${job}`, { key: KEYS.staff })).json.state !== 'done'; i++) await new Promise((r) => setTimeout(r, 50));
    const r = await call(gw, '/api/ask', { key: KEYS.staff, body: { collection: 'bikes', question: '駐輪場の利用登録はいつ更新しますか', stream: true } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(r.text).toContain('event: done');
    expect(Object.keys(doc.paths['/api/ask'].post.responses['200'].content)).toEqual(['application/json', 'text/event-stream']);
  });

  it('docs/api.md lists no hiraga route the server does not have', () => {
    const text = fs.readFileSync(path.resolve(import.meta.dirname, '../../docs/api.md'), 'utf8');
    // The routes the web asks for and the server does not have yet are listed apart, after this heading.
    const served = text.slice(text.indexOf('## hiraga JSON API'), text.indexOf('### Requested by web'));
    const listed = [...served.matchAll(/`(GET|POST|PUT|PATCH|DELETE) (\/[^`\s]*)`/g)].map((m) => `${m[1]!.toLowerCase()} ${m[2]!.replace(/:([A-Za-z]+)/g, '{$1}')}`);
    expect(listed.length).toBeGreaterThan(15);
    expect(listed.filter((r) => !doc.paths[r.slice(r.indexOf(' ') + 1)]?.[r.slice(0, r.indexOf(' '))])).toEqual([]);
  });
});
