/**
 * A question that names an article is answered from that article or not at all. Before, over the sample
 * statutes: 道路交通法第三条 (a law not in the collection) and 行政手続法第九十九条 (no such article) were
 * "answered" with a sentence of another article that shared a word (定める); 民法第七百九条 with a line of a
 * 別表; 行政手続法第十四条 with 公文書管理法's 第十四条, 第十七条 with two laws' 第十七条 mixed, and
 * 行政手続法附則第3条 with the main 第三条.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerExtractive } from '../../src/models/extractive/answerer.js';
import type { Passage } from '../../src/models/types.js';
import { ingest } from '../../src/retrieval/ingest.js';
import { Searcher } from '../../src/retrieval/search.js';
import { openStore, type Store } from '../../src/store/open.js';
import { tempDir } from '../helpers/store.js';

const SAMPLES = path.resolve(import.meta.dirname, '../../samples/statutes');

describe('the extractive answerer and named articles (sample statutes)', () => {
  let store: Store;
  let searcher: Searcher;
  const ask = async (q: string) => {
    const hits = await searcher.search(q, { collection: 'sample', k: 5 });
    const passages: Passage[] = hits.map((h, i) => ({ n: i + 1, source: h.source, chunk: h.chunk, heading: h.heading, text: h.text }));
    const result = await answerExtractive(q, passages);
    // Whatever it says, every quote is verbatim in the passage it cites.
    for (const c of result.citations) expect(passages.find((p) => p.source === c.source && p.chunk === c.chunk)?.text, q).toContain(c.quote);
    return result;
  };

  beforeAll(async () => {
    store = await openStore({ kind: 'sqlite', file: path.join(tempDir(), 'a.sqlite') });
    const dir = tempDir();
    for (const f of fs.readdirSync(SAMPLES)) fs.copyFileSync(path.join(SAMPLES, f), path.join(dir, f));
    fs.writeFileSync(path.join(dir, '窓口マニュアル.md'), '# 窓口マニュアル\n\n## 問い合わせ先\n\n住民票に関する問い合わせは市民課（内線1234）で受け付けます。\n');
    await ingest(store, [dir], { collection: 'sample' });
    searcher = await Searcher.create(store);
  });
  afterAll(async () => store.close());

  it('abstains when the law named is not in the sources, or has no such article', async () => {
    for (const q of ['道路交通法第三条は何を定めていますか', '民法第七百九条の不法行為の要件は', '行政手続法第九十九条には何が定められていますか']) {
      const r = await ask(q);
      expect(r.abstained, q).toBe(true);
      expect(r.answer.startsWith('資料に記載が見当たりません。'), q).toBe(true);
    }
  });

  it('quotes only the article named, of the law named — never another law’s article with the same number', async () => {
    const cases: [string, RegExp][] = [
      ['行政手続法第十二条には何が定められていますか', /^行政手続法 > .*第十二条（処分の基準）$/],
      ['行政手続法第十四条には何が定められていますか', /^行政手続法 > .*第十四条（不利益処分の理由の提示）$/], // was 公文書管理法's 第十四条
      ['行政手続法第十七条には何が定められていますか', /^行政手続法 > .*第十七条（参加人）$/], // was mixed with another law's 第十七条
      ['行政手続法第二十一条には何が定められていますか', /^行政手続法 > .*第二十一条（陳述書等の提出）$/],
    ];
    for (const [q, heading] of cases) {
      const r = await ask(q);
      expect(r.abstained, q).toBe(false);
      expect(r.citations.length, q).toBeGreaterThan(0);
      for (const c of r.citations) expect(c.heading, q).toMatch(heading);
    }
  });

  it('reads 附則第3条 as an article of the supplementary provisions, not the main 第三条', async () => {
    for (const q of ['行政手続法の附則第三条', '行政手続法附則第3条']) {
      const r = await ask(q); // was the main 第三条（適用除外）
      expect(r.abstained, q).toBe(false);
      for (const c of r.citations) expect(c.heading, q).toMatch(/^行政手続法 > 附 則 .* > 第三条（経過措置）$/);
    }
  });

  it('answers a law named by its abbreviation or file name, and an article cited by another law', async () => {
    const p = await ask('個人情報保護法第27条第1項の例外として本人の同意なく第三者提供できるのはどんな場合ですか');
    expect(p.abstained).toBe(false);
    expect(p.citations[0]?.heading).toMatch(/第二十七条/);
    const t = await ask('公文書管理法の別表第一に掲げる法人は何ですか');
    expect(t.abstained).toBe(false);
    expect(t.citations[0]?.heading).toBe('公文書等の管理に関する法律 > 別表第一（第二条関係）');
  });

  it('matches okurigana variants between question and passage (問合せ / 問い合わせ)', async () => {
    const r = await ask('問合せの内線番号は'); // abstained: 問合せ did not count as 問い合わせ
    expect(r.abstained).toBe(false);
    expect(r.citations[0]?.quote).toContain('市民課');
  });
});
