import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openStore } from '../../src/store/open.js';
import { tempDir } from '../helpers/store.js';

describe('SQLite background checkpointer', () => {
  it('with backgroundCheckpoint, commits never checkpoint and a worker thread copies the WAL into the database file', async () => {
    const file = path.join(tempDir(), 'hiraga.sqlite');
    const store = await openStore({ kind: 'sqlite', file }, { backgroundCheckpoint: true });
    try {
      const auto = await sql<{ wal_autocheckpoint: number }>`PRAGMA wal_autocheckpoint`.execute(store.db);
      expect(auto.rows[0]?.wal_autocheckpoint).toBe(0);
      const before = fs.statSync(file).size;
      // ~3 MB of usage rows: far past the 1,000-page automatic checkpoint that is now off.
      const row = (i: number) => ({ time: new Date().toISOString(), day: '2026-12-02', tenant: 't', user_id: 'u'.repeat(200), app: `app${i}`, model: 'm', prompt_tokens: 1, completion_tokens: 1, total_tokens: 2, cost_jpy: 0, energy_wh: 0, latency_ms: 1, audit_id: null });
      for (let b = 0; b < 30; b++) await store.db.insertInto('usage_records').values(Array.from({ length: 50 }, (_, i) => row(b * 50 + i))).execute();
      const deadline = Date.now() + 10_000;
      while (fs.statSync(file).size <= before + 100_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(fs.statSync(file).size).toBeGreaterThan(before + 100_000);
      const n = await store.db.selectFrom('usage_records').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(n.n)).toBe(1500);
    } finally {
      await store.close();
    }
  });

  it('under steady commits the WAL starts over again instead of growing without end', async () => {
    const file = path.join(tempDir(), 'hiraga.sqlite');
    const store = await openStore({ kind: 'sqlite', file }, { backgroundCheckpoint: true });
    try {
      // The WAL header's checkpoint sequence number (bytes 12–15) goes up each time SQLite starts the WAL over.
      const sequence = () => fs.readFileSync(`${file}-wal`).readUInt32BE(12);
      const row = () => ({ time: new Date().toISOString(), day: '2026-12-02', tenant: 't', user_id: 'u', app: 'a'.repeat(1500), model: 'm', prompt_tokens: 1, completion_tokens: 1, total_tokens: 2, cost_jpy: 0, energy_wh: 0, latency_ms: 1, audit_id: null });
      await store.db.insertInto('usage_records').values(row()).execute();
      const first = sequence();
      // A commit every ~2 ms for 3 s (like a gateway at 500 requests/s): some commit nearly always lands while a
      // checkpoint runs, which a single pass per interval never catches up with.
      let commits = 0;
      const end = Date.now() + 3000;
      while (Date.now() < end) {
        await store.db.insertInto('usage_records').values(row()).execute();
        commits++;
        await new Promise((r) => setTimeout(r, 2));
      }
      // Measured here: 11 restarts and a 3.6 MB WAL; with one checkpoint pass per interval, 0 restarts and 21.5 MB.
      expect(sequence() - first).toBeGreaterThanOrEqual(4);
      // Without restarts the WAL holds every frame written: about four 4 KiB pages per commit of this row.
      expect(fs.statSync(`${file}-wal`).size).toBeLessThan(commits * 2 * 4096);
    } finally {
      await store.close();
    }
  });

  it('without it (CLI commands), the store keeps SQLite automatic checkpoints', async () => {
    const store = await openStore({ kind: 'sqlite', file: path.join(tempDir(), 'hiraga.sqlite') });
    try {
      const auto = await sql<{ wal_autocheckpoint: number }>`PRAGMA wal_autocheckpoint`.execute(store.db);
      expect(auto.rows[0]?.wal_autocheckpoint).toBe(1000);
    } finally {
      await store.close();
    }
  });
});
