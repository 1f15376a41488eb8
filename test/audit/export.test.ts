import { afterEach, describe, expect, it } from 'vitest';
import { createAuditLog, type AuditLog } from '../../src/audit/log.js';
import { verifyExport } from '../../src/audit/verify-export.js';
import { verifyKeyFromPem, loadSigningKey } from '../../src/audit/keys.js';
import { leafHash, verifyConsistency, verifyInclusion } from '../../src/audit/merkle.js';
import { checkpointSignatureOk } from '../../src/audit/checkpoint.js';
import { dropStore, storeCases, tempDir } from '../helpers/store.js';
import type { Store } from '../../src/store/open.js';
import { auditConfig, sampleEvent } from './helpers.js';

const hex = (h: string) => Buffer.from(h, 'hex');

for (const c of storeCases()) {
  describe(`audit export and proofs on ${c.name}`, () => {
    let store: Store | null = null;
    afterEach(async () => {
      if (store) await dropStore(store);
      store = null;
    });

    const setup = async (n: number): Promise<{ log: AuditLog; lines: string[]; key: ReturnType<typeof verifyKeyFromPem> }> => {
      store = await c.open();
      const log = createAuditLog(store, auditConfig({ checkpointEvery: 5 }));
      for (let i = 1; i <= n; i++) await log.append(sampleEvent(i, i % 3 === 0 ? 'chiyoda' : 'minato'));
      const lines: string[] = [];
      for await (const l of log.export()) lines.push(l);
      return { log, lines, key: verifyKeyFromPem(log.publicKeyPem()) };
    };
    const lineOf = (lines: string[], id: number) => lines.findIndex((l) => JSON.parse(l).id === id && JSON.parse(l).kind === undefined);

    it('exports the manifest, every event with id/prev_hash/hash, and signed checkpoints; verifies offline', async () => {
      const { lines, key } = await setup(12);
      const parsed = lines.map((l) => JSON.parse(l));
      expect(parsed[0]).toMatchObject({ kind: 'export', count: 12, tree_size: 12, ranges: [[1, 12]] });
      const events = parsed.filter((p) => p.kind === undefined);
      expect(events.map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
      expect(events.every((e) => typeof e.prev_hash === 'string' && typeof e.hash === 'string')).toBe(true);
      expect(parsed.filter((p) => p.kind === 'checkpoint').map((p) => p.tree_size)).toEqual([5, 10, 12]);
      expect(await verifyExport(lines, key)).toEqual({ ok: true, events: 12, checkpoints: 3 });
    });

    it('fails with another key', async () => {
      const { lines } = await setup(3);
      const other = verifyKeyFromPem(loadSigningKey({ dataDir: tempDir() }).publicKeyPem);
      const r = await verifyExport(lines, other);
      expect(r.firstBad).toMatchObject({ line: 1 });
    });

    it('editing any field of an event line names that line', async () => {
      const { lines, key } = await setup(12);
      for (const field of ['outcome', 'time', 'prev_hash', 'costJpy', 'actor']) {
        const i = lineOf(lines, 7);
        const ev = JSON.parse(lines[i]!);
        ev[field] = field === 'actor' ? { ...ev.actor, user: 'someone' } : field === 'costJpy' ? 999 : field === 'prev_hash' ? '1'.repeat(64) : 'x';
        const copy = [...lines];
        copy[i] = JSON.stringify(ev);
        const r = await verifyExport(copy, key);
        expect(r.ok, field).toBe(false);
        expect(r.firstBad, field).toMatchObject({ line: i + 1, id: 7 });
      }
    });

    it('editing a checkpoint or the manifest names that line', async () => {
      const { lines, key } = await setup(12);
      const ci = lines.findIndex((l) => JSON.parse(l).kind === 'checkpoint');
      const copy = [...lines];
      copy[ci] = lines[ci]!.replace(/"time":"[^"]+"/, '"time":"2000-01-01T00:00:00.000Z"');
      expect((await verifyExport(copy, key)).firstBad).toMatchObject({ line: ci + 1 });
      const copy2 = [...lines];
      copy2[0] = lines[0]!.replace('"count":12', '"count":11');
      expect((await verifyExport(copy2, key)).firstBad).toMatchObject({ line: 1 });
    });

    it('deleting, inserting or reordering lines names the line', async () => {
      const { lines, key } = await setup(12);
      const i = lineOf(lines, 4);
      const deleted = lines.filter((_, j) => j !== i);
      expect((await verifyExport(deleted, key)).firstBad).toMatchObject({ line: i + 1, id: 5 });
      const swapped = [...lines];
      [swapped[i], swapped[i + 1]] = [swapped[i + 1]!, swapped[i]!];
      expect((await verifyExport(swapped, key)).firstBad).toMatchObject({ line: i + 1 });
      const duplicated = [...lines.slice(0, i + 1), lines[i]!, ...lines.slice(i + 1)];
      expect((await verifyExport(duplicated, key)).firstBad).toMatchObject({ line: i + 2 });
      const truncated = lines.slice(0, lineOf(lines, 11));
      const r = await verifyExport(truncated, key);
      expect(r.ok).toBe(false);
      expect(r.firstBad!.problem).toMatch(/lists 12|missing/);
    });

    it('a tenant-filtered export verifies and still catches a deleted line', async () => {
      const { log, key } = await setup(12);
      const lines: string[] = [];
      for await (const l of log.export({ tenant: 'chiyoda' })) lines.push(l);
      expect(JSON.parse(lines[0]!).ranges).toEqual([[3, 3], [6, 6], [9, 9], [12, 12]]);
      expect(await verifyExport(lines, key)).toMatchObject({ ok: true, events: 4 });
      const i = lineOf(lines, 6);
      expect((await verifyExport(lines.filter((_, j) => j !== i), key)).firstBad).toMatchObject({ line: i + 1, id: 9 });
    });

    it('inclusion proofs verify against the signed checkpoint for every event; consistency proofs between checkpoints', async () => {
      const { log, key } = await setup(13);
      for (let id = 1; id <= 13; id++) {
        const p = await log.prove(id);
        expect(checkpointSignatureOk(key, p.checkpoint)).toBe(true);
        expect(p.leaf_hash).toBe(leafHash(hex(p.event_hash)).toString('hex'));
        expect(verifyInclusion(p.leaf_index, p.tree_size, hex(p.leaf_hash), p.audit_path.map(hex), hex(p.root))).toBe(true);
        // A wrong leaf or a wrong position fails.
        expect(verifyInclusion(p.leaf_index, p.tree_size, hex(p.root), p.audit_path.map(hex), hex(p.root))).toBe(false);
        if (p.tree_size > 1) expect(verifyInclusion((p.leaf_index + 1) % p.tree_size, p.tree_size, hex(p.leaf_hash), p.audit_path.map(hex), hex(p.root))).toBe(false);
      }
      expect((await log.prove(3)).tree_size).toBe(5);
      await log.append(sampleEvent(14));
      await log.append(sampleEvent(15));
      const cps = (await log.checkpoints()).map((k) => k.tree_size);
      expect(cps).toEqual([5, 10, 13, 15]);
      for (const [m, n] of [[5, 10], [5, 13], [10, 15], [13, 15], [5, 15]] as const) {
        const p = await log.proveConsistency(m, n);
        expect(verifyConsistency(m, n, hex(p.first.root), hex(p.second.root), p.proof.map(hex)), `${m}->${n}`).toBe(true);
        expect(verifyConsistency(m, n, hex(p.second.root), hex(p.second.root), p.proof.map(hex))).toBe(false);
      }
      await expect(log.prove(99)).rejects.toThrow(/does not exist/);
    });
  });
}
