/**
 * A regulation deleted from the folder a collection mirrors stayed findable — and quotable by 資料QA — however
 * often the folder was ingested again: ingest only added and replaced. `prune` (CLI `--prune`) removes the
 * documents whose file is gone, with their chunks and postings; without it nothing is removed, as before.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src/retrieval/ingest.js';
import { Searcher } from '../../src/retrieval/search.js';
import type { Store } from '../../src/store/open.js';
import { dropStore, storeCases, tempDir } from '../helpers/store.js';
import { runCli } from '../helpers/cli.js';

const SAMPLES = path.resolve(import.meta.dirname, '../../samples/statutes');

for (const backend of storeCases()) {
  describe(`ingest --prune on ${backend.name}`, () => {
    let store: Store;
    let searcher: Searcher;
    let dir: string;
    beforeAll(async () => {
      store = await backend.open();
      searcher = await Searcher.create(store);
      dir = tempDir();
      for (const f of ['行政手続法.txt', '不正アクセス禁止法.txt']) fs.copyFileSync(path.join(SAMPLES, f), path.join(dir, f));
      fs.mkdirSync(path.join(dir, 'old'));
      fs.writeFileSync(path.join(dir, 'old', '旧文書管理規程.md'), '# 旧文書管理規程\n\n文書の保存期間は永年とする。廃止された規程である。\n');
      await ingest(store, [dir], { collection: 'c' });
    });
    afterAll(async () => dropStore(store));

    const found = async (q: string) => (await searcher.search(q, { collection: 'c', k: 3 })).map((h) => h.source);
    const counts = async () => store.db.selectFrom('collections').select(['chunk_count']).where('name', '=', 'c').executeTakeFirstOrThrow();

    it('keeps a deleted file without prune, removes it with prune, and the rest stays', async () => {
      const before = Number((await counts()).chunk_count);
      fs.rmSync(path.join(dir, 'old'), { recursive: true });
      fs.rmSync(path.join(dir, '不正アクセス禁止法.txt'));
      expect(await ingest(store, [dir], { collection: 'c' })).toMatchObject({ removed: 0, unchanged: 1 });
      expect(await found('永年 廃止された規程')).toContain('old/旧文書管理規程.md');

      const report = await ingest(store, [dir], { collection: 'c', prune: true });
      expect(report).toMatchObject({ removed: 2, unchanged: 1, added: 0, updated: 0 });
      expect(await found('永年 廃止された規程')).not.toContain('old/旧文書管理規程.md');
      expect(await found('不正アクセス行為の禁止')).not.toContain('不正アクセス禁止法.txt');
      expect(await found('行政手続法第12条')).toEqual(expect.arrayContaining(['行政手続法.txt']));
      const docs = await store.db.selectFrom('documents').select('source').execute();
      expect(docs.map((d) => d.source)).toEqual(['行政手続法.txt']);
      // Counts and postings follow: no chunk id of a removed document is left in any posting.
      const left = await store.db.selectFrom('chunks').select('id').execute();
      expect(Number((await counts()).chunk_count)).toBe(left.length);
      expect(left.length).toBeLessThan(before);
      const none = await store.db.selectFrom('postings').select('term').where('term', '=', 'w:永年').execute();
      expect(none).toEqual([]);
    });

    it('refuses prune unless every input is an existing folder', async () => {
      await expect(ingest(store, [path.join(dir, '行政手続法.txt')], { collection: 'c', prune: true })).rejects.toThrow(/--prune needs folders/);
      await expect(ingest(store, [path.join(dir, 'nope')], { collection: 'c', prune: true })).rejects.toThrow(/--prune needs folders/);
      expect((await store.db.selectFrom('documents').select('source').execute()).length).toBe(1);
    });
  });
}

describe('hiraga ingest --prune', () => {
  it('prints how many were removed', async () => {
    const dir = tempDir();
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dir, 'a.md'), '# A\n\n窓口は9時から開く。\n');
    fs.writeFileSync(path.join(dir, 'b.md'), '# B\n\n粗大ごみは予約制。\n');
    expect((await runCli(['ingest', dir, '--collection', 'm', '--data-dir', dataDir])).code).toBe(0);
    fs.rmSync(path.join(dir, 'b.md'));
    const r = await runCli(['ingest', dir, '--collection', 'm', '--prune', '--data-dir', dataDir]);
    expect(r.stdout).toMatch(/^m: 0 added, 0 updated, 1 unchanged, 0 failed, 1 removed; /);
    const s = await runCli(['search', '粗大ごみ', '--collection', 'm', '--json', '--data-dir', dataDir]);
    expect(JSON.parse(s.stdout).hits).toEqual([]);
  });
});
