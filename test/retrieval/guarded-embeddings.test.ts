/**
 * The embedding endpoint of the dense leg (retrieval.embeddings) is sent every chunk at ingest and every query
 * at search. Cleared below level 3, it gets them through the guard, as a model would: a text above its
 * clearance is masked, or not sent where guard.policy blocks that level (no vector: found lexically only).
 * What the endpoint received is checked on the local OpenAI-compatible server.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIngest, createSearcher } from '../../src/retrieval/service.js';
import { openStore, type Store } from '../../src/store/open.js';
import { testConfig } from '../gateway/helpers.js';
import { tempDir } from '../helpers/store.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';

const HARMLESS = '第一条　この規程は、公用車の利用に関し必要な事項を定める。';
const PHONE = '第二条　公用車の予約は総務課（電話 03-1234-5678）へ申し込む。';
const MY_NUMBER = '第三条　申請者のマイナンバー 123456789018 は申請書に記入しない。';

let up: Upstream;
let store: Store;
let config: ReturnType<typeof testConfig>;

/** Every text the embedding endpoint received, in order. */
const received = () => up.requests.filter((r) => r.path === '/v1/embeddings').flatMap((r) => (Array.isArray(r.body.input) ? r.body.input : [r.body.input]) as string[]);

beforeAll(async () => {
  up = await startUpstream();
  const dir = tempDir('hiraga-guarded-emb-');
  config = testConfig({ defaultModel: 'extractive', retrieval: { chunkChars: 100, embeddings: { baseUrl: up.url, model: 'upstream-model', clearance: 1 } } }, dir);
  store = await openStore(config.store);
  const docs = path.join(dir, 'docs');
  fs.mkdirSync(docs);
  fs.writeFileSync(path.join(docs, 'kitei.txt'), [HARMLESS, PHONE, MY_NUMBER].join('\n\n'));
  const report = await runIngest(config, store, [docs], { collection: 'kitei', tenant: 'minato' });
  expect(report.failed).toEqual([]);
}, 60_000);

afterAll(async () => {
  await store?.close();
  await up?.close();
});

describe('an embedding endpoint cleared for level 1', () => {
  it('gets harmless chunks as they are, level-2 data masked, and never a level-3 chunk', () => {
    const texts = received().join('\n');
    expect(texts).toContain('公用車の利用に関し必要な事項');
    expect(texts).not.toContain('03-1234-5678');
    expect(texts).toContain('公用車の予約は総務課');
    expect(texts).not.toContain('123456789018');
    expect(texts).not.toContain('申請書に記入しない');
  });

  it('stores no vector for the chunk it did not send; the lexical leg still finds it', async () => {
    const rows = await store.db.selectFrom('chunks').select(['text', 'embedding']).execute();
    const kept = rows.find((r) => r.text.includes('123456789018'))!;
    expect(kept.embedding).toBeNull();
    expect(rows.filter((r) => r.embedding !== null).length).toBe(rows.length - 1);
    const { searcher, embedder } = await createSearcher(config, store);
    const hits = await searcher.search('申請書に記入しない', { collection: 'kitei', tenant: 'minato', k: 3, embedder });
    // Fused with the dense leg, where it has no vector, it ranks below its lexical place, but it is there.
    expect(hits.some((h) => h.text.includes('申請書に記入しない'))).toBe(true);
  });

  it('masks a query with personal data and does not send one it may not see', async () => {
    const { searcher, embedder } = await createSearcher(config, store);
    const before = received().length;
    await searcher.search('03-1234-5678 の予約窓口', { collection: 'kitei', tenant: 'minato', k: 3, embedder });
    const asked = received().slice(before);
    expect(asked).toHaveLength(1);
    expect(asked[0]).not.toContain('03-1234-5678');
    const again = received().length;
    const hits = await searcher.search('マイナンバー 987654321093 の記入', { collection: 'kitei', tenant: 'minato', k: 3, embedder });
    expect(received().length).toBe(again);
    expect(hits.length).toBeGreaterThan(0);
  });
});
