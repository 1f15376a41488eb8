import { afterEach, describe, expect, it } from 'vitest';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { createAuditLog } from '../../src/audit/log.js';
import type { Store } from '../../src/store/open.js';
import { dropStore, storeCases } from '../helpers/store.js';
import { auditConfig, sampleEvent } from './helpers.js';

/** Counts the statements a store's Kysely instance sends. */
class Counter implements KyselyPlugin {
  n = 0;
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.n++;
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

const pg = storeCases().find((c) => c.name === 'postgres');

describe.skipIf(!pg)('audit chain on PostgreSQL: one round trip per batch', () => {
  let store: Store | null = null;
  afterEach(async () => {
    if (store) await dropStore(store);
    store = null;
  });

  it('after the first batch, an append is one statement (head moved only if still the same), and the chain verifies', async () => {
    store = await pg!.open();
    const counter = new Counter();
    const counted: Store = { ...store, db: store.db.withPlugin(counter) };
    const log = createAuditLog(counted, auditConfig({ checkpointEvery: 5 }));
    await log.append(sampleEvent(1));
    const before = counter.n;
    for (let i = 2; i <= 12; i++) await log.append(sampleEvent(i));
    expect(counter.n - before).toBe(11);
    expect(await log.verify()).toEqual({ ok: true, events: 12, checkpoints: 2 });
    await log.close();
  });

  it('writers that take turns pay at most a failed try and the locked path (SELECT … FOR UPDATE, one write) per append', async () => {
    store = await pg!.open();
    const counter = new Counter();
    const counted: Store = { ...store, db: store.db.withPlugin(counter) };
    const config = auditConfig({ checkpointEvery: 4 });
    const a = createAuditLog(counted, config);
    const b = createAuditLog(counted, config);
    for (let i = 0; i < 40; i++) await (i % 2 ? b : a).append(sampleEvent(i));
    // Kysely's own BEGIN/COMMIT are not counted; the old path sent SELECT, three INSERTs and an UPDATE.
    expect(counter.n / 40).toBeLessThanOrEqual(3);
    expect(await a.verify()).toEqual({ ok: true, events: 40, checkpoints: 10 });
    await a.close();
    await b.close();
  });

  it('two writers appending at the same time (as two gateway nodes) extend one gap-free chain', async () => {
    store = await pg!.open();
    const config = auditConfig({ checkpointEvery: 7 });
    const a = createAuditLog(store, config);
    const b = createAuditLog(store, config);
    const acks = await Promise.all([
      ...Array.from({ length: 60 }, (_, i) => a.append(sampleEvent(i, 'minato'))),
      ...Array.from({ length: 60 }, (_, i) => b.append(sampleEvent(i, 'chiyoda'))),
    ]);
    // Again, now that each writer has a head of its own that the other keeps moving.
    for (let round = 0; round < 5; round++) {
      acks.push(...(await Promise.all([a.append(sampleEvent(round, 'minato')), b.append(sampleEvent(round, 'chiyoda')), a.append(sampleEvent(round + 1, 'minato'))])));
    }
    expect(acks.map((x) => x.id).sort((x, y) => x - y)).toEqual(Array.from({ length: 135 }, (_, i) => i + 1));
    expect(await a.verify()).toEqual({ ok: true, events: 135, checkpoints: 19 });
    const proof = await b.prove(100);
    expect(proof.tree_size).toBeGreaterThanOrEqual(100);
    await a.close();
    await b.close();
  });
});
