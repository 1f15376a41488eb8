/**
 * Statute structure beyond articles, on the real e-Gov texts in samples/: 附則 made only of numbered paragraphs
 * (most 附則 are) and 別表 (appended tables) are units of their own — under their own heading, where they
 * stand — and 別表第一 is found by name. Before: the paragraphs of every such 附則 were moved into the
 * document's first chunk, headed by the law's title alone (地方自治法: one 16,401-character chunk), and each
 * 別表 was glued to the last article before it (公文書管理法's 別表第一 cited as 附則 第六十八条（政令への委任）).
 * And a file ingested before such a change was skipped as unchanged on the next ingest, keeping its old chunks.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunkDocument, type Chunk } from '../../src/retrieval/chunking/index.js';
import { ingest } from '../../src/retrieval/ingest.js';
import { parserFor } from '../../src/retrieval/parsers/index.js';
import { Searcher } from '../../src/retrieval/search.js';
import type { Store } from '../../src/store/open.js';
import { dropStore, storeCases, tempDir } from '../helpers/store.js';

const SAMPLES = path.resolve(import.meta.dirname, '../../samples/statutes');
const SHARED_LAWS = path.resolve(import.meta.dirname, '../../../shared/data/egov-laws/text');
const CHUNK = 800;

async function chunksOf(file: string): Promise<Chunk[]> {
  const parsed = await parserFor(file)!(fs.readFileSync(file), file);
  return chunkDocument(parsed.title ?? '', parsed, { chunkChars: CHUNK });
}

describe('statute chunking: 附則 paragraphs and 別表', () => {
  it('keeps a 附則 of numbered paragraphs under its own heading, not in the title chunk', async () => {
    const chunks = await chunksOf(path.join(SAMPLES, '行政手続法.txt'));
    const first = chunks[0]!;
    expect(first.heading).toBe('行政手続法');
    expect(first.text).not.toMatch(/施行する|従前の例による/);
    const original = chunks.find((c) => c.heading === '行政手続法 > 附 則');
    expect(original?.text).toContain('１ この法律は、公布の日から起算して一年を超えない範囲内において政令で定める日から施行する。');
    expect(original?.text).toContain('４ 前二項に定めるもののほか');
    expect(original?.refs).toEqual([]); // 附則 paragraphs are not 第1項 of the law
    // A one-line 附則 of an amendment stays under that amendment's heading.
    const amendment = chunks.find((c) => c.text === 'この法律は、平成十八年証券取引法改正法の施行の日から施行する。');
    expect(amendment?.heading).toBe('行政手続法 > 附 則 （平成一八年六月一四日法律第六六号） 抄');
    // Document order: the original 附則 comes after the last article of the main text.
    const last = chunks.findIndex((c) => c.heading.endsWith('第四十六条（地方公共団体の措置）'));
    expect(chunks.indexOf(original!)).toBeGreaterThan(last);
  });

  it('makes each 別表 its own unit, headed and referenced as such', async () => {
    const chunks = await chunksOf(path.join(SAMPLES, '公文書管理法.txt'));
    const table1 = chunks.filter((c) => c.heading.includes('別表第一'));
    expect(table1.length).toBeGreaterThan(0);
    for (const c of table1) {
      expect(c.heading).toMatch(/^公文書等の管理に関する法律 > 別表第一（第二条関係）/);
      expect(c.refs).toEqual(['r:別表1']);
    }
    expect(table1.map((c) => c.text).join('\n')).toContain('日本年金機構 | 日本年金機構法');
    const lastArticle = chunks.find((c) => c.heading.includes('第六十八条'));
    expect(lastArticle?.text).not.toContain('日本年金機構');
    expect(chunks.find((c) => c.heading.includes('別表第二'))?.refs).toEqual(['r:別表2']);
  });

  it('makes a 規程’s 別表 and 様式第1号 units of their own (not the text of 第三条)', () => {
    const lines = ['第一条 この規程は、文書の管理に関し必要な事項を定めるものとする。', '第二条 文書の保存期間は、別表第一のとおりとする。', '第三条 文書の廃棄は、様式第１号による廃棄簿に記載して行う。',
      '別表第一（第二条関係）', '文書の種類 | 保存期間', '例規 | 永年', '様式第１号（第３条関係）', '廃棄簿', '件名 | 廃棄日 | 担当者'];
    const chunks = chunkDocument('文書管理規程', { blocks: lines.map((text) => ({ kind: 'paragraph' as const, text })) }, { chunkChars: CHUNK });
    expect(chunks.map((c) => [c.heading, c.refs])).toEqual([
      ['文書管理規程 > 第一条', ['r:1', 'r:1:1']],
      ['文書管理規程 > 第二条', ['r:2', 'r:2:1']],
      ['文書管理規程 > 第三条', ['r:3', 'r:3:1']],
      ['文書管理規程 > 別表第一（第二条関係）', ['r:別表1']],
      ['文書管理規程 > 様式第１号（第３条関係）', ['r:様式1']],
    ]);
    expect(chunks[2]!.text).not.toContain('廃棄簿\n');
  });

  it.runIf(fs.existsSync(SHARED_LAWS))('leaves no giant chunk in 地方自治法 (16,401 characters before), and its 別表 not under 附則第二十一条', async () => {
    const file = fs.readdirSync(SHARED_LAWS).find((f) => f.startsWith('322AC0000000067'));
    const chunks = await chunksOf(path.join(SHARED_LAWS, file!));
    for (const c of chunks) expect(c.text.length, c.heading).toBeLessThanOrEqual(CHUNK * 1.6);
    expect(chunks[0]!.text.length).toBeLessThan(100);
    expect(chunks.filter((c) => c.heading.includes('第二十一条') && c.text.includes('法定受託事務'))).toEqual([]);
    expect(chunks.filter((c) => c.heading.startsWith('地方自治法 > 別表第一 第一号法定受託事務（第二条関係）')).length).toBeGreaterThan(10);
  });
});

for (const backend of storeCases()) {
  describe(`finding 別表 and 附則 on ${backend.name}`, () => {
    let store: Store;
    let searcher: Searcher;
    beforeAll(async () => {
      store = await backend.open();
      const dir = tempDir();
      for (const f of ['行政手続法.txt', '公文書管理法.txt', '個人情報保護法.txt']) fs.copyFileSync(path.join(SAMPLES, f), path.join(dir, f));
      await ingest(store, [dir], { collection: 'laws' });
      searcher = await Searcher.create(store);
    });
    afterAll(async () => dropStore(store));

    it('finds 別表第一 of the law named, also by its abbreviation (公文書管理法 for 公文書等の管理に関する法律)', async () => {
      for (const q of ['公文書等の管理に関する法律別表第一', '公文書管理法の別表第一', '公文書管理法別表第1']) {
        const [top] = await searcher.search(q, { collection: 'laws', k: 5 });
        expect(top?.source, q).toBe('公文書管理法.txt');
        expect(top?.heading, q).toBe('公文書等の管理に関する法律 > 別表第一（第二条関係）');
      }
      const [pi] = await searcher.search('個人情報の保護に関する法律別表第二', { collection: 'laws', k: 5 });
      expect(pi?.heading).toMatch(/^個人情報の保護に関する法律 > 別表第二/);
    });

    it('re-indexes a file written by the previous index format when it is ingested again, then skips it', async () => {
      const dir = tempDir();
      const file = path.join(dir, '行政手続法.txt');
      fs.copyFileSync(path.join(SAMPLES, '行政手続法.txt'), file);
      await ingest(store, [dir], { collection: 'upgrade' });
      // What the previous version stored: the bare SHA-256 (its chunks were the old ones).
      const sha = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
      await store.db.updateTable('documents').set({ content_hash: sha }).where('source', '=', '行政手続法.txt').execute();
      expect(await ingest(store, [dir], { collection: 'upgrade' })).toMatchObject({ updated: 1, unchanged: 0 });
      expect(await ingest(store, [dir], { collection: 'upgrade' })).toMatchObject({ updated: 0, unchanged: 1 });
      const hits = await searcher.search('この法律の施行前に第十五条第一項又は第三十条の規定による通知に相当する行為', { collection: 'upgrade', k: 1 });
      expect(hits[0]?.heading).toBe('行政手続法 > 附 則');
    });

    it('takes a statute’s name from its first line when the file gives no title (gyosei.txt, no “# ” line)', async () => {
      const dir = tempDir();
      const text = fs.readFileSync(path.join(SAMPLES, '行政手続法.txt'), 'utf8').replace(/^# .*\n+/, '');
      fs.writeFileSync(path.join(dir, 'gyosei.txt'), text);
      await ingest(store, [dir], { collection: 'untitled' });
      const [top] = await searcher.search('行政手続法第12条第2項', { collection: 'untitled', k: 3 });
      expect(top?.heading).toBe('行政手続法 > 第三章 不利益処分 > 第一節 通則 > 第十二条（処分の基準）'); // was 'gyosei > …'
    });

    it('finds the original 附則 paragraph by its words, cited under 附 則', async () => {
      const [top] = await searcher.search('この法律の施行前に第十五条第一項又は第三十条の規定による通知に相当する行為がされた場合', { collection: 'laws', k: 5 });
      expect(top?.heading).toBe('行政手続法 > 附 則');
    });
  });
}
