import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src/retrieval/ingest.js';
import { Searcher } from '../../src/retrieval/search.js';
import type { Store } from '../../src/store/open.js';
import { docxFile, minimalPdf } from '../helpers/documents.js';
import { dropStore, storeCases, tempDir } from '../helpers/store.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/retrieval');

async function makeCorpus(): Promise<string> {
  const dir = tempDir();
  fs.mkdirSync(path.join(dir, 'reg'), { recursive: true });
  fs.copyFileSync(path.join(FIXTURES, 'sample-kitei.txt'), path.join(dir, 'reg', 'kitei.txt'));
  fs.copyFileSync(path.join(FIXTURES, 'manual.md'), path.join(dir, 'manual.md'));
  fs.copyFileSync(path.join(FIXTURES, 'notice.html'), path.join(dir, 'notice.html'));
  fs.writeFileSync(path.join(dir, 'backup.pdf'), minimalPdf(['Hiraga operations manual.', 'The backup job runs every Sunday at 3am.']));
  fs.writeFileSync(path.join(dir, 'guide.docx'), await docxFile('公用車の利用', ['公用車を利用するときは、前日までに総務課へ予約してください。']));
  fs.writeFileSync(path.join(dir, 'broken.pdf'), Buffer.from('this is not a pdf at all'));
  fs.writeFileSync(path.join(dir, 'data.xyz'), 'unsupported');
  fs.writeFileSync(path.join(dir, 'empty.txt'), '   \n');
  return dir;
}

for (const backend of storeCases()) {
  describe(`ingest and search on ${backend.name}`, () => {
    let store: Store;
    let dir: string;
    let searcher: Searcher;
    beforeAll(async () => {
      store = await backend.open();
      dir = await makeCorpus();
      searcher = await Searcher.create(store);
    });
    afterAll(async () => dropStore(store));

    it('ingests every supported format, reports broken and unsupported files by name, and lands the rest', async () => {
      const report = await ingest(store, [dir], { collection: 'docs' });
      expect(report.added).toBe(5);
      const failed = Object.fromEntries(report.failed.map((f) => [f.source, f.error]));
      expect(Object.keys(failed).sort()).toEqual(['broken.pdf', 'data.xyz', 'empty.txt']);
      expect(failed['data.xyz']).toMatch(/unsupported file type/);
      expect(failed['empty.txt']).toMatch(/no text/);
      const sources = (await store.db.selectFrom('documents').select('source').execute()).map((r) => r.source).sort();
      expect(sources).toEqual(['backup.pdf', 'guide.docx', 'manual.md', 'notice.html', 'reg/kitei.txt']);
    });

    it('finds text from each format, with sources relative to the folder given', async () => {
      const cases: [string, string][] = [
        ['住民票の写しの手数料', 'manual.md'],
        ['たんすの粗大ごみ手数料', 'notice.html'],
        ['backup Sunday', 'backup.pdf'],
        ['公用車の予約', 'guide.docx'],
        ['文書の保存期間', 'reg/kitei.txt'],
      ];
      for (const [q, source] of cases) {
        const hits = await searcher.search(q, { collection: 'docs', k: 3 });
        expect(hits[0]?.source, q).toBe(source);
      }
    });

    it('keeps statute structure: one chunk per article with its heading path, and Arabic numerals find kanji articles', async () => {
      const hits = await searcher.search('第5条第6項', { collection: 'docs', k: 3 });
      expect(hits[0]?.source).toBe('reg/kitei.txt');
      expect(hits[0]?.heading).toBe('港区文書管理規程 > 第二章 文書の保存 > 第五条（保存期間）');
      expect(hits[0]?.text).toContain('６ 電子文書の保存期間は');
      const branch = await searcher.search('第五条の二', { collection: 'docs', k: 1 });
      expect(branch[0]?.heading).toContain('第五条の二（廃棄）');
      const named = await searcher.search('港区文書管理規程第2条第2項', { collection: 'docs', k: 1 });
      expect(named[0]?.heading).toContain('第二条（定義）');
    });

    it('a short two-character query still matches through character bigrams', async () => {
      const hits = await searcher.search('印鑑', { collection: 'docs', k: 2 });
      expect(hits[0]?.source).toBe('manual.md');
      expect(hits[0]?.heading).toContain('印鑑登録');
    });

    it('skips unchanged files and replaces the chunks of a changed one', async () => {
      const again = await ingest(store, [dir], { collection: 'docs' });
      expect(again.unchanged).toBe(5);
      expect(again.added + again.updated).toBe(0);

      fs.writeFileSync(path.join(dir, 'manual.md'), '# 窓口業務マニュアル\n\n## 犬の登録\n\n犬の登録手数料は三千円です。\n');
      const changed = await ingest(store, [dir], { collection: 'docs' });
      expect(changed.updated).toBe(1);
      expect(changed.unchanged).toBe(4);
      const old = await searcher.search('住民票の写しの交付手数料', { collection: 'docs', k: 5 });
      expect(old.some((h) => h.source === 'manual.md' && h.text.includes('住民票'))).toBe(false);
      const fresh = await searcher.search('犬の登録手数料', { collection: 'docs', k: 1 });
      expect(fresh[0]?.text).toContain('三千円');
      const chunks = await store.db.selectFrom('chunks').innerJoin('documents', 'documents.id', 'chunks.document_id').select('chunks.text').where('documents.source', '=', 'manual.md').execute();
      expect(chunks.map((c) => c.text).join('')).not.toContain('住民票');
    });

    it('collections are separate per tenant, and an unknown collection is a clear error', async () => {
      await expect(searcher.search('手数料', { collection: 'docs', tenant: 'other' })).rejects.toThrow(/collection "docs" not found for tenant "other"/);
      await expect(searcher.search('', { collection: 'docs' })).rejects.toThrow(/query is empty/);
    });
  });
}
