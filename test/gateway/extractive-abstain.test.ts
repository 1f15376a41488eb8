/**
 * The extractive model over a collection that has nothing on the question: the search ran and found no
 * passage, so the honest answer is 資料に記載が見当たりません (abstained) — on /api/ask, an app with a
 * collection and /v1/responses with file_search — not "free chat is not possible; specify a collection",
 * which stays the answer when no collection was searched at all.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../src/gateway/server.js';
import { ABSTAIN_TEXT } from '../../src/models/extractive/answerer.js';
import { EXTRACTIVE_NO_CHAT } from '../../src/models/providers/extractive.js';
import { runIngest } from '../../src/retrieval/service.js';
import { call, KEYS, startTestGateway, testConfig } from './helpers.js';

let gw: RunningGateway;
/** Words no statute of the collection contains. */
const NOTHING = 'zzqx wvvq';

beforeAll(async () => {
  gw = await startTestGateway(testConfig({ models: [{ id: 'extractive', provider: 'extractive' }], defaultModel: 'extractive' }));
  await runIngest(gw.services.config, gw.services.store, [path.resolve(import.meta.dirname, '../../samples/statutes/行政手続法.txt')], { collection: 'laws', tenant: 'minato' });
}, 60_000);

afterAll(async () => {
  await gw?.close();
});

describe('extractive answers when the search found nothing', () => {
  it('the collection really has nothing on it', async () => {
    const r = await call(gw, '/api/search', { key: KEYS.staff, body: { collection: 'laws', query: NOTHING } });
    expect(r.status).toBe(200);
    expect(r.json.hits).toEqual([]);
  });

  it('/api/ask abstains with 資料に記載が見当たりません, plain and streamed', async () => {
    const r = await call(gw, '/api/ask', { key: KEYS.staff, body: { collection: 'laws', question: NOTHING } });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ abstained: true, citations: [] });
    expect(r.json.answer).toContain(ABSTAIN_TEXT);
    expect(r.json.answer).not.toContain('コレクションを指定して');

    const s = await call(gw, '/api/ask', { key: KEYS.staff, body: { collection: 'laws', question: NOTHING, stream: true } });
    expect(s.status).toBe(200);
    const done = /event: done\ndata: (.*)\n/.exec(s.text)![1]!;
    expect(JSON.parse(done)).toMatchObject({ abstained: true });
    expect(JSON.parse(done).answer).toContain(ABSTAIN_TEXT);
  });

  it('an app with a collection abstains too', async () => {
    const app = { id: 'laws-qa', title: '法令QA', description: '行政手続法に質問', inputs: [{ name: 'q', label: '質問', type: 'text', required: true }], prompt: '{{q}}', collection: 'laws', model: 'extractive' };
    const r = await call(gw, '/api/apps/test', { key: KEYS.staff, body: { app, inputs: { q: NOTHING } } });
    expect(r.status, r.text).toBe(200);
    expect(r.json.output).toContain(ABSTAIN_TEXT);
    expect(r.json.output).not.toContain('コレクションを指定して');
    expect(r.json.abstained).toBe(true);
  });

  it('/v1/responses with file_search abstains too', async () => {
    const r = await call(gw, '/v1/responses', { key: KEYS.staff, body: { model: 'extractive', input: NOTHING, tools: [{ type: 'file_search', vector_store_ids: ['laws'] }] } });
    expect(r.status, r.text).toBe(200);
    expect(r.json.output_text ?? JSON.stringify(r.json.output)).toContain(ABSTAIN_TEXT);
    expect(JSON.stringify(r.json)).not.toContain('コレクションを指定して');
  });

  it('without any collection it still says that it cannot chat freely', async () => {
    const r = await call(gw, '/v1/chat/completions', { key: KEYS.staff, body: { model: 'extractive', messages: [{ role: 'user', content: NOTHING }] } });
    expect(r.status).toBe(200);
    expect(r.json.choices[0].message.content).toBe(EXTRACTIVE_NO_CHAT);
  });
});
