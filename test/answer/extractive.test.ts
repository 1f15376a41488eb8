import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerExtractive } from '../../src/models/extractive/answerer.js';
import type { Passage } from '../../src/models/types.js';
import { ingest } from '../../src/retrieval/ingest.js';
import { Searcher } from '../../src/retrieval/search.js';
import { openStore, type Store } from '../../src/store/open.js';
import { tempDir } from '../helpers/store.js';

const SAMPLES = path.resolve(import.meta.dirname, '../../samples/statutes');

describe('the extractive answerer over the sample statutes', () => {
  let store: Store;
  let searcher: Searcher;
  const ask = async (q: string) => {
    const hits = await searcher.search(q, { collection: 'sample', k: 5 });
    const passages: Passage[] = hits.map((h, i) => ({ n: i + 1, source: h.source, chunk: h.chunk, heading: h.heading, text: h.text }));
    return { passages, result: await answerExtractive(q, passages) };
  };

  beforeAll(async () => {
    store = await openStore({ kind: 'sqlite', file: path.join(tempDir(), 'x.sqlite') });
    await ingest(store, [SAMPLES], { collection: 'sample' });
    searcher = await Searcher.create(store);
  });
  afterAll(async () => store.close());

  it('quotes the paragraph named by an article reference, with its citation', async () => {
    const { result } = await ask('行政手続法第5条第3項には何が定められていますか');
    expect(result.abstained).toBe(false);
    expect(result.citations[0]?.source).toBe('行政手続法.txt');
    expect(result.citations[0]?.heading).toContain('第五条（審査基準）');
    expect(result.citations[0]?.quote).toMatch(/^３ 行政庁は.*審査基準を公にしておかなければならない。$/);
    expect(result.answer).toContain(`「${result.citations[0]!.quote}」[1]`);
  });

  it('matches a duration question to a sentence with a duration', async () => {
    const { result } = await ask('開示請求があった日から何日以内に開示決定等をしなければなりませんか');
    expect(result.abstained).toBe(false);
    expect(result.citations[0]?.source).toBe('行政機関情報公開法.txt');
    expect(result.citations[0]?.quote).toMatch(/三十日以内/);
  });

  it('answers a count asked in Arabic digits from a passage in kanji numerals (30日 / 三十日)', async () => {
    // Abstained before: 30 and 三十 shared no term, so the passage did not cover the question.
    for (const [q, re] of [['開示決定等は開示請求から30日以内にしなければなりませんか', /三十日以内/], ['開示請求があった日から60日以内に開示決定等をしないことができるのはどんなときですか', /六十日以内/]] as const) {
      const { result } = await ask(q);
      expect(result.abstained, q).toBe(false);
      expect(result.citations[0]?.quote, q).toMatch(re);
    }
  });

  it('never states anything that is not in a cited passage: every quote is verbatim from its passage', async () => {
    for (const q of ['不正アクセス行為とは何ですか', '行政文書の保存期間が満了したときはどうしますか', '個人情報取扱事業者の義務']) {
      const { passages, result } = await ask(q);
      for (const c of result.citations) {
        const p = passages.find((x) => x.source === c.source && x.chunk === c.chunk);
        expect(p?.text, q).toContain(c.quote);
      }
      const quoted = [...result.answer.matchAll(/「([^」]*(?:」[^[]*)?)」\[\d+\]/g)].length;
      if (!result.abstained) expect(quoted).toBeGreaterThan(0);
    }
  });

  it('abstains honestly when the sources do not answer, naming the closest sources', async () => {
    for (const q of ['東京タワーの高さは何メートルですか', 'ラーメンのおいしい作り方を教えてください', '来年度の予算額はいくらですか']) {
      const { result } = await ask(q);
      expect(result.abstained, q).toBe(true);
      expect(result.answer.startsWith('資料に記載が見当たりません。')).toBe(true);
    }
  });

  it('abstains with no passages at all', async () => {
    const r = await answerExtractive('何でも', []);
    expect(r.abstained).toBe(true);
    expect(r.citations).toEqual([]);
  });
});
