/**
 * 資料QA with a generative model when the search found nothing: the model is still told to answer only from
 * the office's documents — and that none were found — instead of getting the bare question and answering from
 * memory, uncited, as if from the documents. A model that abstains gives an abstention; one that answers anyway
 * gives an uncited answer, which review.require.lowGrounding holds for a reviewer. The upstream records what
 * left the process.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../src/gateway/server.js';
import { GROUNDED_SYSTEM_PROMPT, NO_PASSAGES } from '../../src/models/grounding.js';
import { runIngest } from '../../src/retrieval/service.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';
import { call, KEYS, startTestGateway, testConfig, upstreamModels } from './helpers.js';

let up: Upstream;
let gw: RunningGateway;
/** Words no statute of the collection contains. */
const NOTHING = 'zzqx wvvq';
const lastSent = () => up.requests[up.requests.length - 1]!.body;

beforeAll(async () => {
  up = await startUpstream();
  gw = await startTestGateway(testConfig({ models: upstreamModels(up.url), review: { require: { lowGrounding: true } } }));
  await runIngest(gw.services.config, gw.services.store, [path.resolve(import.meta.dirname, '../../samples/statutes/行政手続法.txt')], { collection: 'laws', tenant: 'minato' });
}, 60_000);

afterAll(async () => {
  await gw?.close();
  await up?.close();
});

describe('資料QA with a generative model, when the search finds nothing', () => {
  it('the model is told that no source was found and to answer only from sources; its abstention is an abstention', async () => {
    expect((await call(gw, '/api/search', { key: KEYS.staff, body: { collection: 'laws', query: NOTHING } })).json.hits).toEqual([]);
    up.script({ content: '資料に記載が見当たりません。' });
    const r = await call(gw, '/api/ask', { key: KEYS.staff, body: { collection: 'laws', question: NOTHING, model: 'up' } });
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({ abstained: true, citations: [] });
    expect(r.json.review).toBeUndefined();
    const system = lastSent().messages[0];
    expect(system.role).toBe('system');
    expect(system.content).toContain(GROUNDED_SYSTEM_PROMPT);
    expect(system.content).toContain(NO_PASSAGES);
    expect(lastSent().messages.at(-1)).toEqual({ role: 'user', content: NOTHING });
  });

  it('an answer from memory, without a citation, is held for a reviewer (low_grounding), plain and streamed', async () => {
    up.script({ content: '申請期限は一般に30日です。' });
    const r = await call(gw, '/api/ask', { key: KEYS.staff, body: { collection: 'laws', question: NOTHING, model: 'up' } });
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({ abstained: false, citations: [] });
    expect(r.json.review).toMatchObject({ status: 'pending' });
    expect(r.json.answer).not.toContain('一般に30日');
    const held = await call(gw, `/api/review/${r.json.review.id}`, { key: KEYS.reviewer });
    expect(held.json.reasons).toContain('low_grounding');

    up.script({ content: '申請期限は一般に30日です。' });
    const s = await call(gw, '/api/ask', { key: KEYS.staff, body: { collection: 'laws', question: NOTHING, model: 'up', stream: true } });
    expect(s.status).toBe(200);
    const done = JSON.parse(/event: done\ndata: (.*)\n/.exec(s.text)![1]!);
    expect(done.review).toMatchObject({ status: 'pending' });
    expect((await call(gw, `/api/review/${done.review.id}`, { key: KEYS.reviewer })).json.reasons).toContain('low_grounding');
    expect(s.text).not.toContain('一般に30日');
  });

  it('a chat without a collection is not grounded: the question goes as it is', async () => {
    const r = await call(gw, '/v1/chat/completions', { key: KEYS.staff, body: { model: 'up', messages: [{ role: 'user', content: '挨拶文の例を' }] } });
    expect(r.status).toBe(200);
    expect(lastSent().messages).toEqual([{ role: 'user', content: '挨拶文の例を' }]);
  });
});
