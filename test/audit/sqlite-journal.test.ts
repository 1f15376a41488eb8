import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createAuditLog, type AuditLog } from '../../src/audit/log.js';
import { sqliteCommitter } from '../../src/audit/sqlite-chain.js';
import { prepareEvent } from '../../src/audit/record.js';
import { loadSigningKey } from '../../src/audit/keys.js';
import { openStore, type Store } from '../../src/store/open.js';
import { tempDir } from '../helpers/store.js';
import { auditConfig, sampleEvent } from './helpers.js';

/**
 * The SQLite audit chain journals appends (audit_journal) and settles them into the log shortly after,
 * or before anything reads it (src/audit/sqlite-chain.ts).
 */
describe('audit journal on SQLite', () => {
  const open: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    for (const x of open.splice(0).reverse()) await x.close();
  });

  const setup = async (audit: Record<string, unknown> = { checkpointEvery: 4 }) => {
    const dir = tempDir('hiraga-journal-');
    const file = path.join(dir, 'hiraga.sqlite');
    const store = await openStore({ kind: 'sqlite', file });
    open.push(store);
    const config = auditConfig(audit);
    const log = (o: { settleDelayMs?: number } = {}): AuditLog => {
      const l = createAuditLog(store, config, o);
      open.unshift(l);
      return l;
    };
    const count = (table: 'audit_journal' | 'audit_events' | 'audit_content') => store.db.selectFrom(table).select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow().then((r) => Number(r.n));
    return { store, file, config, log, count };
  };

  it('an append writes only the journal; reading the log (here or from another writer) settles it first', async () => {
    const { log, count } = await setup();
    const a = log();
    const acks = [];
    for (let i = 1; i <= 6; i++) acks.push(await a.append(sampleEvent(i)));
    expect(acks.map((x) => x.id)).toEqual([1, 2, 3, 4, 5, 6]);
    // Acknowledged, with final ids and hashes, but not yet in the indexed tables.
    expect(await count('audit_journal')).toBe(6);
    expect(await count('audit_events')).toBe(0);

    // Another writer on the same file (as another process) reads the whole log.
    const b = log();
    const events = await b.query({ order: 'asc' });
    expect(events.map((e) => [e.id, e.hash])).toEqual(acks.map((x) => [x.id, x.hash]));
    expect(await count('audit_journal')).toBe(0);
    expect(await count('audit_events')).toBe(6);
    expect(await count('audit_content')).toBe(6);
    expect((await b.checkpoints()).map((c) => c.tree_size)).toEqual([4]);

    // Appends continue the chain from the journal, then from the head once it is settled.
    const more = [await a.append(sampleEvent(7)), await b.append(sampleEvent(8))];
    expect(more.map((x) => x.id)).toEqual([7, 8]);
    expect(await a.verify()).toEqual({ ok: true, events: 8, checkpoints: 2 });
    expect((await a.prove(7)).tree_size).toBe(8);
  });

  it('settles by itself shortly after a commit, without any read', async () => {
    const { file, config, count } = await setup();
    const key = loadSigningKey(config);
    const committer = sqliteCommitter(file, { checkpointEvery: 4, key: () => key, durability: 'os', autoCheckpoint: true, settleDelayMs: 20 });
    open.push(committer);
    await committer.commit([prepareEvent(sampleEvent(1), new Date().toISOString(), () => 30)]);
    expect(await count('audit_journal')).toBe(1);
    const deadline = Date.now() + 5000;
    while ((await count('audit_journal')) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(await count('audit_journal')).toBe(0);
    expect(await count('audit_events')).toBe(1);
  });

  it('a commit writes one page to the WAL, not one per table and index', async () => {
    const { file, config } = await setup();
    const key = loadSigningKey(config);
    const committer = sqliteCommitter(file, { checkpointEvery: 1000, key: () => key, durability: 'os', autoCheckpoint: false, settleDelayMs: 60_000 });
    open.push(committer);
    const ev = () => [prepareEvent(sampleEvent(1), new Date().toISOString(), () => 30)];
    await committer.commit(ev());
    // A reader holding a snapshot keeps SQLite from starting the WAL over, so its size only grows.
    const reader = new BetterSqlite3(file, { readonly: true });
    open.push({ close: async () => void reader.close() });
    reader.prepare('BEGIN').run();
    reader.prepare('SELECT count(*) FROM audit_head').get();
    const frame = 4096 + 24;
    const walSize = () => fs.statSync(`${file}-wal`).size;
    const before = walSize();
    for (let i = 0; i < 20; i++) await committer.commit(ev());
    const perCommit = (walSize() - before) / frame / 20;
    // One leaf of the journal, now and then two (a full leaf splits). Before the journal: 6–7 pages
    // (the event, its 2 indexes, the content and its index, the head).
    expect(perCommit).toBeLessThanOrEqual(2);
    reader.prepare('COMMIT').run();
  });

  it('a journal row that does not link to the log is refused when settling, and nothing is moved', async () => {
    const { store, log, count } = await setup();
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    // No background settle during the test: the rows must still be journaled when they are edited.
    const a = log({ settleDelayMs: 60_000 });
    for (let i = 1; i <= 3; i++) await a.append(sampleEvent(i));
    await store.db.updateTable('audit_journal').set({ prev_hash: 'f'.repeat(64) }).where('id', '=', 2).execute();
    await expect(a.query()).rejects.toThrow(/audit journal: event 2 does not link to the event before it/);
    expect(await count('audit_journal')).toBe(3);
    expect(await count('audit_events')).toBe(0);
    // verify reports it as a finding naming the event, instead of failing.
    expect(await a.verify()).toMatchObject({ ok: false, firstBad: { id: 2, problem: expect.stringMatching(/does not link/) } });
    // Closing reports it instead of throwing; the events stay journaled.
    await a.close();
    await new Promise((r) => setImmediate(r));
    process.off('warning', onWarning);
    expect(warnings.join('\n')).toMatch(/audit journal: settling failed \(the events stay in the journal\): audit journal: event 2/);
    expect(await count('audit_journal')).toBe(3);
  });
  it('a broken journal is reported once, not at every background settle, while appends go on', async () => {
    const { store, file, config, count } = await setup();
    // A journaled row that does not link to the (empty) log, as if edited outside hiraga.
    const H = (c: string) => c.repeat(64);
    await store.db.insertInto('audit_journal').values({ id: 1, time: '2026-12-02T00:00:00.000Z', tenant: 't', action: 'model.call', user_id: 'u', record: '{}', prev_hash: H('f'), hash: H('a'), input: null, output: null, expires_at: null }).execute();
    const key = loadSigningKey(config);
    const reports: string[] = [];
    const committer = sqliteCommitter(file, { checkpointEvery: 4, key: () => key, durability: 'os', autoCheckpoint: true, settleDelayMs: 5, onSettleError: (e) => reports.push(e.message) });
    open.push(committer);
    for (let i = 0; i < 10; i++) {
      await committer.commit([prepareEvent(sampleEvent(i), new Date().toISOString(), () => 30)]);
      await new Promise((r) => setTimeout(r, 20));
    }
    // Appends still succeed (journaled after the bad row); the background settle tried and said so once.
    expect(await count('audit_journal')).toBe(11);
    expect(reports).toEqual([expect.stringMatching(/audit journal: event 1 does not link/)]);
    await expect(committer.settle!()).rejects.toThrow(/event 1 does not link/);
  });
});
