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
  });

  it('apps: lists built-in apps', async () => {
    const r = await call(gw, '/api/apps', { key: KEYS.staff });
    expect(r.status).toBe(200);
    expect(r.json.some((a: any) => a.builtin)).toBe(true);
  });
});
