import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createAuditLog } from '../../src/audit/log.js';
import { sha256Hex } from '../../src/audit/canonical.js';
import { dropStore, storeCases } from '../helpers/store.js';
import type { Store } from '../../src/store/open.js';
import { auditConfig, sampleEvent } from './helpers.js';

for (const c of storeCases()) {
  describe(`audit chain on ${c.name}`, () => {
    let store: Store | null = null;
    afterEach(async () => {
      if (store) await dropStore(store);
      store = null;
    });

    const filled = async (n: number, audit: Record<string, unknown> = { checkpointEvery: 4 }) => {
      store = await c.open();
      const log = createAuditLog(store, auditConfig(audit));
      const acks = await Promise.all(Array.from({ length: n }, (_, i) => log.append(sampleEvent(i + 1))));
      // On SQLite appends are journaled first: flush moves them into the tables the tamper tests edit.
      await log.flush();
      return { log, acks, db: store.db };
    };

    it('chains concurrent appends gap-free, checkpoints every N, and verifies', async () => {
      const { log, acks } = await filled(10);
      expect(acks.map((a) => a.id).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      const events = await log.query({ order: 'asc', limit: 100 });
      expect(events.map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(events[0]!.prev_hash).toBe('0'.repeat(64));
      for (let i = 1; i < events.length; i++) expect(events[i]!.prev_hash).toBe(events[i - 1]!.hash);
      expect(events[0]!.inputSha256).toBe(sha256Hex(`質問 ${events[0]!.usage!.prompt_tokens - 10}`));
      expect(events.some((e) => 'content' in e)).toBe(false);
      expect((await log.checkpoints()).map((k) => k.tree_size)).toEqual([4, 8]);
      const report = await log.verify();
      expect(report).toEqual({ ok: true, events: 10, checkpoints: 2 });
    });

    it('two writers on one store (as two processes) alternate appends: one chain, checkpoints and proofs verify', async () => {
      store = await c.open();
      const config = auditConfig({ checkpointEvery: 3 });
      // On SQLite each log commits on a connection of its own and keeps the Merkle frontier it last wrote:
      // after the other writer moved the head, that copy must not be used.
      const a = createAuditLog(store, config);
      const b = createAuditLog(store, config);
      let n = 0;
      for (const [log, count] of [[a, 2], [b, 3], [a, 1], [b, 1], [a, 4]] as const) for (let i = 0; i < count; i++) await log.append(sampleEvent(++n));
      expect(await a.verify()).toEqual({ ok: true, events: 11, checkpoints: 3 });
      expect((await b.checkpoints()).map((k) => k.tree_size)).toEqual([3, 6, 9]);
      const proof = await a.prove(5);
      expect(proof.event_id).toBe(5);
      await a.close();
      await b.close();
    });

    it('keeps content only as retention allows, and expiry deletes content but never the chain', async () => {
      const { log } = await filled(0, { checkpointEvery: 100, retention: { default: { '1': 30, '2': 0 }, tenants: { chiyoda: { '1': 0 } } } });
      await log.append({ ...sampleEvent(1), confidentiality: 1 });
      await log.append({ ...sampleEvent(2), confidentiality: 2 });
      await log.append({ ...sampleEvent(3, 'chiyoda'), confidentiality: 1 });
      const withContent = await log.query({ order: 'asc', includeContent: true });
      expect(withContent.map((e) => e.content?.output ?? null)).toEqual(['回答 1', null, null]);
      expect(withContent.map((e) => (e as any).contentRetentionDays)).toEqual([30, 0, 0]);
      expect(await log.expireContent(new Date(Date.now() + 29 * 86_400_000))).toBe(0);
      expect(await log.expireContent(new Date(Date.now() + 31 * 86_400_000))).toBe(1);
      expect((await log.query({ includeContent: true })).every((e) => !e.content)).toBe(true);
      expect((await log.verify()).ok).toBe(true);
    });

    it('filters by tenant, action and time', async () => {
      const { log } = await filled(0);
      for (let i = 1; i <= 6; i++) await log.append(sampleEvent(i, i <= 2 ? 'chiyoda' : 'minato'));
      expect((await log.query({ tenant: 'chiyoda' })).map((e) => e.id)).toEqual([2, 1]);
      expect((await log.query({ action: 'ask', order: 'asc' })).map((e) => e.id)).toEqual([2, 4, 6]);
      expect(await log.query({ from: '2999-01-01T00:00:00Z' })).toEqual([]);
      expect((await log.query({ limit: 2 })).map((e) => e.id)).toEqual([6, 5]);
    });

    it('rejects an event with an unknown action shape or a bad hash', async () => {
      const { log } = await filled(0);
      await expect(log.append({ ...sampleEvent(1), action: 'Bad Action' as any })).rejects.toThrow(/action/);
      await expect(log.append({ ...sampleEvent(1), inputSha256: 'xyz' })).rejects.toThrow(/inputSha256/);
    });

    describe('tamper detection', () => {
      const tampered = async (damage: (db: any) => Promise<unknown>) => {
        const { log, db } = await filled(10);
        await damage(db);
        return log.verify();
      };

      it('an edited field names the event', async () => {
        const r = await tampered(async (db) => {
          const row = await db.selectFrom('audit_events').select('record').where('id', '=', 6).executeTakeFirstOrThrow();
          await db.updateTable('audit_events').set({ record: row.record.replace('"outcome":"allow"', '"outcome":"block"') }).where('id', '=', 6).execute();
        });
        expect(r.ok).toBe(false);
        expect(r.firstBad).toMatchObject({ id: 6 });
        expect(r.firstBad!.problem).toMatch(/edited/);
      });

      it('an edited indexed column names the event', async () => {
        const r = await tampered((db) => db.updateTable('audit_events').set({ tenant: 'other' }).where('id', '=', 3).execute());
        expect(r.firstBad).toMatchObject({ id: 3 });
        expect(r.firstBad!.problem).toMatch(/tenant/);
      });

      it('a deleted event names the gap', async () => {
        const r = await tampered((db) => db.deleteFrom('audit_events').where('id', '=', 5).execute());
        expect(r.firstBad).toMatchObject({ id: 5 });
        expect(r.firstBad!.problem).toMatch(/missing/);
      });

      it('deleting the newest events is caught by the head and the checkpoints', async () => {
        const r = await tampered((db) => db.deleteFrom('audit_events').where('id', '>=', 9).execute());
        expect(r.ok).toBe(false);
        expect(r.firstBad!.problem).toMatch(/head records 10 events/);
      });

      it('an inserted event (ids renumbered, hashes recomputed for it) breaks the next link', async () => {
        const r = await tampered(async (db) => {
          const rows = await db.selectFrom('audit_events').selectAll().where('id', '>=', 6).orderBy('id', 'desc').execute();
          for (const row of rows) {
            const rec = JSON.parse(row.record);
            rec.id = row.id + 1;
            const { canonicalJson } = await import('../../src/audit/canonical.js');
            const json = canonicalJson(rec);
            await db.updateTable('audit_events').set({ id: row.id + 1, record: json, hash: sha256Hex(json) }).where('id', '=', row.id).execute();
          }
          const four = await db.selectFrom('audit_events').selectAll().where('id', '=', 5).executeTakeFirstOrThrow();
          const rec = { ...JSON.parse(four.record), id: 6, prev_hash: four.hash, outcome: 'forged' };
          const { canonicalJson } = await import('../../src/audit/canonical.js');
          const json = canonicalJson(rec);
          await db.insertInto('audit_events').values({ ...four, id: 6, record: json, prev_hash: four.hash, hash: sha256Hex(json) }).execute();
        });
        expect(r.firstBad).toMatchObject({ id: 7 });
        expect(r.firstBad!.problem).toMatch(/prev_hash/);
      });

      it('reordered events (two swapped) name the first one', async () => {
        const r = await tampered(async (db) => {
          await db.updateTable('audit_events').set({ id: 1000 }).where('id', '=', 7).execute();
          await db.updateTable('audit_events').set({ id: 7 }).where('id', '=', 8).execute();
          await db.updateTable('audit_events').set({ id: 8 }).where('id', '=', 1000).execute();
        });
        expect(r.firstBad).toMatchObject({ id: 7 });
        expect(r.firstBad!.problem).toMatch(/id 8|reordered/);
      });

      it('a forged checkpoint signature is caught', async () => {
        const r = await tampered((db) => db.updateTable('audit_checkpoints').set({ signature: Buffer.alloc(64, 1).toString('base64') }).where('tree_size', '=', 4).execute());
        expect(r.firstBad).toMatchObject({ id: 4 });
        expect(r.firstBad!.problem).toMatch(/signature/);
      });
    });

    it('uses the migration on a raw schema (tables exist)', async () => {
      store = await c.open();
      const n = await sql<{ n: number }>`select count(*) as n from audit_head`.execute(store.db);
      expect(Number(n.rows[0]!.n)).toBe(1);
    });
  });
}
