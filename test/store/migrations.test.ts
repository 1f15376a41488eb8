import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Migrator } from 'kysely';
import { openStore } from '../../src/store/open.js';
import { migrationProvider } from '../../src/store/migrations/index.js';
import { ingest } from '../../src/retrieval/ingest.js';
import { dropStore, storeCases, tempDir } from '../helpers/store.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/retrieval');

for (const backend of storeCases()) {
  describe(`store migrations on ${backend.name}`, () => {
    it('run automatically, are safe to re-run, and keep the data across reopenings', async () => {
      const store = await backend.open();
      await ingest(store, [path.join(FIXTURES, 'manual.md')], { collection: 'c' });
      const migrator = new Migrator({ db: store.db, provider: migrationProvider({ dialect: store.dialect }), allowUnorderedMigrations: true });
      const again = await migrator.migrateToLatest();
      expect(again.error).toBeUndefined();
      expect(again.results).toEqual([]); // nothing pending: all applied once
      const all = await migrator.getMigrations();
      expect(all.every((m) => m.executedAt)).toBe(true);
      expect(await store.db.selectFrom('documents').select('source').execute()).toEqual([{ source: 'manual.md' }]);
      await dropStore(store);
    });
  });
}

describe('the SQLite file', () => {
  it('survives closing and reopening with every table intact', async () => {
    const file = path.join(tempDir(), 'h.sqlite');
    const a = await openStore({ kind: 'sqlite', file });
    await ingest(a, [path.join(FIXTURES, 'notice.html')], { collection: 'c' });
    await a.close();
    const b = await openStore({ kind: 'sqlite', file });
    const rows = await b.db.selectFrom('chunks').select('heading').execute();
    expect(rows.length).toBeGreaterThan(0);
    await b.close();
  });

  it('a PostgreSQL URL that cannot be reached is one clear error naming the host without the password', async () => {
    await expect(openStore({ kind: 'postgres', url: 'postgres://u:secret@127.0.0.1:1/db' })).rejects.toThrow(/cannot connect to PostgreSQL at postgres:\/\/u:\*\*\*@127\.0\.0\.1:1\/db/);
  });
});
