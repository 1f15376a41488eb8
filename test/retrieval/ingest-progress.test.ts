/**
 * Ingest progress never says "all done" before the documents are searchable: the index is written after the
 * last file is read (IndexWriter batches), so done reaches total only after that write. Checked on a real
 * SQLite file, read through a second connection at the moment each progress event is reported.
 */
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest, type IngestProgress } from '../../src/retrieval/ingest.js';
import { openStore, type Store } from '../../src/store/open.js';
import { tempDir } from '../helpers/store.js';

describe('ingest progress', () => {
  let store: Store;
  let file: string;
  let dir: string;
  beforeAll(async () => {
    const data = tempDir();
    file = path.join(data, 'hiraga.sqlite');
    store = await openStore({ kind: 'sqlite', file });
    dir = tempDir();
    for (let i = 1; i <= 3; i++) fs.writeFileSync(path.join(dir, `doc${i}.txt`), `第${i}条 文書${i}の本文。住民票の写しは窓口で交付する。`);
    fs.writeFileSync(path.join(dir, 'broken.xyz'), 'unsupported');
  });
  afterAll(async () => store.close());

  it('reaches done == total only once every document is in the index, after an indexing step', async () => {
    const reader = new BetterSqlite3(file, { readonly: true });
    const seen: (IngestProgress & { searchable: number })[] = [];
    try {
      await ingest(store, [dir], {
        collection: 'progress',
        onProgress: (p) => seen.push({ ...p, searchable: (reader.prepare('SELECT count(*) AS n FROM documents').get() as { n: number }).n }),
      });
    } finally {
      reader.close();
    }
    for (const p of seen.filter((e) => e.done === e.total)) expect(p.searchable, `${p.phase} ${p.done}/${p.total}`).toBe(3);
    expect(seen.map((p) => `${p.phase} ${p.done}/${p.total}`)).toEqual(['files 1/4', 'files 2/4', 'files 3/4', 'files 3/4', 'indexing 3/4', 'done 4/4']);
    expect(seen.find((p) => p.phase === 'indexing')?.searchable).toBe(0);
  });

  it('an empty folder reports done at once', async () => {
    const seen: IngestProgress[] = [];
    await ingest(store, [tempDir()], { collection: 'empty', onProgress: (p) => seen.push(p) });
    expect(seen.map((p) => `${p.phase} ${p.done}/${p.total}`)).toEqual(['indexing 0/0', 'done 0/0']);
  });
});
