/**
 * Which files an ingest takes: a folder walk skips hidden entries (.git, .DS_Store — the CLI's behaviour),
 * while a file named itself is always ingested or reported, whatever its name starts with.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src/retrieval/ingest.js';
import type { Store } from '../../src/store/open.js';
import { dropStore, storeCases, tempDir } from '../helpers/store.js';

for (const backend of storeCases()) {
  describe(`ingest inputs on ${backend.name}`, () => {
    let store: Store;
    let dir: string;
    beforeAll(async () => {
      store = await backend.open();
      dir = tempDir();
      fs.mkdirSync(path.join(dir, '.git'));
      fs.writeFileSync(path.join(dir, '.git', 'HEAD.txt'), 'ref: refs/heads/main');
      fs.writeFileSync(path.join(dir, '.notes.txt'), '会議室の鍵は総務課で貸し出す。');
      fs.writeFileSync(path.join(dir, '.txt'), '名前のないファイル。');
      fs.writeFileSync(path.join(dir, 'visible.txt'), '公用車の鍵は管財課で貸し出す。');
    });
    afterAll(async () => dropStore(store));

    it('a folder walk skips hidden files and folders', async () => {
      const report = await ingest(store, [dir], { collection: 'walk' });
      expect(report).toMatchObject({ files: 1, added: 1, failed: [] });
    });

    it('files named explicitly are ingested, dot or not; a name that is only an extension is reported', async () => {
      const report = await ingest(store, ['.notes.txt', '.txt', 'visible.txt'].map((n) => path.join(dir, n)), { collection: 'named' });
      expect(report.files).toBe(3);
      expect(report.added).toBe(2);
      expect(report.failed).toEqual([{ source: '.txt', error: expect.stringContaining('the file name ".txt" is only an extension') }]);
      const sources = (await store.db.selectFrom('documents').innerJoin('collections', 'collections.id', 'documents.collection_id').select('documents.source').where('collections.name', '=', 'named').execute()).map((r) => r.source).sort();
      expect(sources).toEqual(['.notes.txt', 'visible.txt']);
    });
  });
}
