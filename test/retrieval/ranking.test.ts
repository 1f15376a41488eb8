import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Analyzer, compounds } from '../../src/retrieval/analysis/analyzer.js';
import { ingest } from '../../src/retrieval/ingest.js';
import { DEFAULT_WEIGHTS, Searcher } from '../../src/retrieval/search.js';
import { chunkTerms, FIELD, phraseTerms } from '../../src/retrieval/terms.js';
import { openStore, type Store } from '../../src/store/open.js';
import { tempDir } from '../helpers/store.js';

const SAMPLES = path.resolve(import.meta.dirname, '../../samples/statutes');

let analyzer: Analyzer;
beforeAll(async () => {
  analyzer = await Analyzer.load();
});

describe('ranking fields', () => {
  it('joins adjacent nouns into compounds and pairs adjacent content words', () => {
    expect(compounds(analyzer.morphemes('コンゴ共和国の首都'))).toEqual(['コンゴ共和国']);
    const { words } = analyzer.analyze('雨の多い時期');
    expect(phraseTerms(words)).toEqual(['雨 多い', '多い 時期']);
  });

  it('drops JSQuAD-style question frames from queries', () => {
    expect(analyzer.analyzeQuery('例年5月から7月に起こる雨の多い時期を何というか。').words).toEqual(['例年', '5', '月', '7', '月', '起こる', '雨', '多い', '時期']);
  });

  it('indexes heading words once more as their own field, by presence', () => {
    const ct = chunkTerms(analyzer, '行政手続法', { heading: '行政手続法 > 第五条（審査基準）', text: '行政庁は、審査基準を定めるものとする。審査基準は公にする。', refs: [] });
    expect(ct.tf.get(`${FIELD.heading}審査`)).toBe(1);
    expect(ct.tf.get(`${FIELD.word}審査`)).toBe(3);
    expect(ct.tf.get(`${FIELD.pair}審査基準`)).toBe(3);
    expect(ct.headingWords).toBeGreaterThan(0);
  });
});

describe('top-k selection', () => {
  let store: Store;
  let searcher: Searcher;
  beforeAll(async () => {
    store = await openStore({ kind: 'sqlite', file: path.join(tempDir(), 'r.sqlite') });
    await ingest(store, [SAMPLES], { collection: 'sample' });
    searcher = await Searcher.create(store);
  });
  afterAll(async () => store.close());

  it('returns the same order for every k (a prefix of the full ranking), common terms or not', async () => {
    for (const q of ['開示請求があった日から何日以内に開示決定等をしなければなりませんか', '第五条', '行政機関の長は、その保有する情報を公開しなければならない']) {
      const all = await searcher.search(q, { collection: 'sample', k: 1000 });
      for (const k of [1, 3, 10, 50]) {
        const top = await searcher.search(q, { collection: 'sample', k });
        expect(top.map((h) => h.chunkId)).toEqual(all.slice(0, k).map((h) => h.chunkId));
      }
      for (let i = 1; i < all.length; i++) expect(all[i - 1]!.score).toBeGreaterThanOrEqual(all[i]!.score);
    }
  });

  it('keeps common terms when the query has few others, on first and later searches alike', async () => {
    const fresh = new Searcher(store, analyzer, { ...DEFAULT_WEIGHTS });
    const first = await fresh.search('この法律', { collection: 'sample', k: 5 });
    expect(first.length).toBeGreaterThan(0);
    expect((await fresh.search('この法律', { collection: 'sample', k: 5 })).map((h) => h.chunkId)).toEqual(first.map((h) => h.chunkId));
  });
});

