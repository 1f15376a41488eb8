/**
 * The same words written another way find the same passages: 旧字体 (第十二條, 特別區), okurigana (問合せ /
 * 問い合わせ, 取扱い / 取り扱い / 取扱) and counts (30日 / 三十日). Before, 第十二條 was not read as an article reference and ranked
 * 第十二条 nowhere in the top 5; 問合せ found no passage written 問い合わせ.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeText } from '../../src/retrieval/analysis/numerals.js';
import { kanjiSkeleton } from '../../src/retrieval/analysis/okurigana.js';
import { ingest } from '../../src/retrieval/ingest.js';
import { Searcher } from '../../src/retrieval/search.js';
import type { Store } from '../../src/store/open.js';
import { dropStore, storeCases, tempDir } from '../helpers/store.js';

const SAMPLES = path.resolve(import.meta.dirname, '../../samples/statutes');

describe('normalization of variants', () => {
  it('reads 旧字体 as 新字体, one character for one', () => {
    expect(normalizeText('行政手続法第十二條')).toBe('行政手続法第12条');
    expect(normalizeText('特別區の區長')).toBe('特別区の区長');
    expect(normalizeText('渡邊 髙橋 國學')).toBe('渡辺 高橋 国学');
    expect(normalizeText('別表第三')).toBe('別表第3');
  });

  it('writes counts in Arabic digits: 三十日 → 30日, 五十万 → 50万, 三箇月 → 3か月; 同一人 stays', () => {
    expect(normalizeText('起算して三十日以上')).toBe('起算して30日以上');
    expect(normalizeText('人口五十万以上')).toBe('人口50万以上');
    expect(normalizeText('三箇月以内、3ヶ月以内')).toBe('3か月以内、3か月以内');
    expect(normalizeText('同一人が十分に')).toBe('同一人が十分に');
  });

  it('gives okurigana spellings one kanji skeleton', () => {
    expect(kanjiSkeleton('問い合わせ')).toBe('問合');
    expect(kanjiSkeleton('問合せ')).toBe('問合');
    expect(kanjiSkeleton('取り扱い')).toBe('取扱');
    expect(kanjiSkeleton('取扱')).toBeNull(); // already its own skeleton
    expect(kanjiSkeleton('見る')).toBeNull(); // one kanji: would join unrelated words
    expect(kanjiSkeleton('コピー機')).toBeNull();
  });
});

for (const backend of storeCases()) {
  describe(`searching with variants on ${backend.name}`, () => {
    let store: Store;
    let searcher: Searcher;
    beforeAll(async () => {
      store = await backend.open();
      const dir = tempDir();
      fs.copyFileSync(path.join(SAMPLES, '行政手続法.txt'), path.join(dir, '行政手続法.txt'));
      fs.writeFileSync(
        path.join(dir, 'madoguchi.md'),
        [
          '# 窓口業務マニュアル',
          '## 問い合わせへの対応',
          '住民票に関する問い合わせは市民課（内線1234）へ回してください。',
          '## 個人番号カードの取り扱い',
          '個人番号カードの取り扱いは、マイナンバー担当の職員に限ります。',
          '## 粗大ごみ',
          '粗大ごみの収集は予約制です。',
        ].join('\n\n'),
      );
      await ingest(store, [dir], { collection: 'c' });
      searcher = await Searcher.create(store);
    });
    afterAll(async () => dropStore(store));

    it('finds 第十二条 by 第十二條 and 第１２条', async () => {
      for (const q of ['行政手続法第十二條', '行政手続法第１２条', '第十二條の処分基準']) {
        const [top] = await searcher.search(q, { collection: 'c', k: 5 });
        expect(top?.heading, q).toMatch(/第十二条（処分の基準）$/);
      }
    });

    it('finds 問い合わせ by 問合せ and 取り扱い by 取扱 (no character bigram in common)', async () => {
      const [a] = await searcher.search('問合せ', { collection: 'c', k: 3 });
      expect(a?.text).toContain('問い合わせは市民課');
      const hits = await searcher.search('取扱', { collection: 'c', k: 5 });
      expect(hits.find((h) => h.source === 'madoguchi.md')?.text).toContain('個人番号カードの取り扱い');
    });
  });
}
