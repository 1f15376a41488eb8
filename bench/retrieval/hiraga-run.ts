import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ingest, type IngestReport } from '../../src/retrieval/ingest.js';
import { Searcher } from '../../src/retrieval/search.js';
import type { SearchHit } from '../../src/core/types.js';
import { openStore, type Store } from '../../src/store/open.js';

/** hiraga's real path: a SQLite file in a temp folder, `ingest`, then the Searcher. */
export class HiragaRun {
  private constructor(
    readonly store: Store,
    readonly searcher: Searcher,
    private readonly dir: string,
  ) {}

  static async open(): Promise<HiragaRun> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hiraga-bench-'));
    const store = await openStore({ kind: 'sqlite', file: path.join(dir, 'bench.sqlite') });
    return new HiragaRun(store, await Searcher.create(store), dir);
  }

  ingest(inputs: string[], collection: string): Promise<IngestReport> {
    return ingest(this.store, inputs, { collection });
  }

  search(query: string, collection: string, k: number): Promise<SearchHit[]> {
    return this.searcher.search(query, { collection, k });
  }

  async close(): Promise<void> {
    await this.store.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
