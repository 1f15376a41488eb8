/**
 * Query and body parameters at their edges: GET /api/budget?tenant= (empty) is the caller's own budget, not
 * "another tenant's"; POST /api/search refuses a collection name longer than any collection can have with a
 * 400 instead of echoing it whole in a 404.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../src/gateway/server.js';
import { runIngest } from '../../src/retrieval/service.js';
import { call, KEYS, startTestGateway, testConfig } from './helpers.js';

let gw: RunningGateway;

beforeAll(async () => {
  gw = await startTestGateway(testConfig({ models: [{ id: 'extractive', provider: 'extractive' }], defaultModel: 'extractive', budgets: { tenants: { minato: { monthlyTokens: 1000 } } } }));
  await runIngest(gw.services.config, gw.services.store, [path.resolve(import.meta.dirname, '../../samples/statutes/行政手続法.txt')], { collection: 'laws', tenant: 'minato' });
}, 60_000);

afterAll(async () => {
  await gw?.close();
});

describe('GET /api/budget?tenant=', () => {
  it('an empty tenant is no tenant named: the caller’s own budget, for every role', async () => {
    for (const key of [KEYS.staff, KEYS.reviewer, KEYS.admin, KEYS.auditor]) {
      const own = await call(gw, '/api/budget', { key });
      const empty = await call(gw, '/api/budget?tenant=', { key });
      expect(empty.status, empty.text).toBe(200);
      expect(empty.json).toMatchObject({ tenant: 'minato', limit: { monthlyTokens: 1000 } });
      expect(empty.json).toEqual(own.json);
    }
    expect((await call(gw, '/api/budget?tenant=minato', { key: KEYS.staff })).status).toBe(200);
  });

  it('another tenant is still refused, naming it (shortened) and saying what to do', async () => {
    const r = await call(gw, '/api/budget?tenant=chiyoda', { key: KEYS.staff });
    expect(r.status).toBe(403);
    expect(r.json.error.message).toMatch(/^他の組織の予算は見られません。.* \/ .*tenant="chiyoda".*leave tenant out for your own$/);
    const long = await call(gw, `/api/budget?tenant=${'x'.repeat(5000)}`, { key: KEYS.staff });
    expect(long.status).toBe(403);
    expect(long.text.length).toBeLessThan(1000);
  });
});

describe('POST /api/search collection', () => {
  const search = (collection: unknown) => call(gw, '/api/search', { key: KEYS.staff, body: { collection, query: '行政手続' } });

  it('refuses a name longer than 100 characters with a 400 naming the field, without echoing it', async () => {
    for (const name of ['a'.repeat(101), 'あ'.repeat(101), 'z'.repeat(100_000)]) {
      const r = await search(name);
      expect(r.status).toBe(400);
      expect(r.json.error).toMatchObject({ code: 'invalid_request', param: 'collection' });
      expect(r.json.error.message).toContain('コレクション名は100文字までです');
      expect(r.text).not.toContain(name.slice(0, 101));
    }
  });

  it('takes names up to 100 characters (counted as ingest counts them): a missing one is a 404, an existing one searches', async () => {
    for (const name of ['a'.repeat(100), '𠮷'.repeat(100)]) {
      const r = await search(name);
      expect(r.status, r.text.slice(0, 200)).toBe(404);
    }
    const ok = await search('laws');
    expect(ok.status).toBe(200);
    expect(ok.json.hits.length).toBeGreaterThan(0);
    expect((await search('')).status).toBe(400);
  });
});

describe('every route that names a collection', () => {
  it('refuses a name longer than any collection can have with a 400 naming the field, without echoing it', async () => {
    const long = 'x'.repeat(5000);
    const cases: Array<[string, unknown, string]> = [
      ['/api/ask', { collection: long, question: '行政手続とは' }, 'collection'],
      ['/v1/responses', { model: 'extractive', input: '行政手続とは', tools: [{ type: 'file_search', vector_store_ids: [long] }] }, 'tools[0].vector_store_ids[0]'],
      ['/v1/chat/completions', { model: 'extractive', messages: [{ role: 'user', content: 'x' }], hiraga: { collection: long } }, 'hiraga.collection'],
    ];
    for (const [route, body, param] of cases) {
      const r = await call(gw, route, { key: KEYS.staff, body });
      expect(r.status, `${route}: ${r.text.slice(0, 200)}`).toBe(400);
      expect(r.json.error.param, route).toBe(param);
      expect(r.json.error.message, route).toContain('コレクション名は100文字までです');
      expect(r.text).not.toContain(long.slice(0, 200));
    }
  });
});
