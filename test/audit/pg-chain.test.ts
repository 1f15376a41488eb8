import { afterEach, describe, expect, it } from 'vitest';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { sql } from 'kysely';
import { createAuditLog } from '../../src/audit/log.js';
import { openStore, type Store } from '../../src/store/open.js';
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

  it('the optimistic append is a named prepared statement on the connection, and where that name is taken it runs unnamed and still appends', async () => {
    // One pooled connection, so this test's own queries see that connection's prepared statements.
    const url = process.env.HIRAGA_TEST_DATABASE_URL!;
    const schema = `t_${process.env.HIRAGA_TEST_RUN ?? 'x'}_prep${Date.now().toString(36)}`;
    store = await openStore({ kind: 'postgres', url, schema }, { poolSize: 1 });
    const statements = async () => (await sql<{ name: string }>`SELECT name FROM pg_prepared_statements`.execute(store!.db)).rows.map((r) => r.name);
    const config = auditConfig({ checkpointEvery: 5 });
    const log = createAuditLog(store, config);
    for (let i = 1; i <= 6; i++) await log.append(sampleEvent(i));
    expect(await statements()).toContain('hiraga_audit_append');
    expect(await log.verify()).toEqual({ ok: true, events: 6, checkpoints: 1 });
    await log.close();
    await store.close();

    // What a pooler in transaction mode can hand over: a server connection where another client's statement has the name.
    store = await openStore({ kind: 'postgres', url, schema }, { poolSize: 1 });
    await sql`PREPARE hiraga_audit_append AS SELECT 1`.execute(store.db);
    const again = createAuditLog(store, config);
    for (let i = 7; i <= 12; i++) await again.append(sampleEvent(i));
    expect(await again.verify()).toEqual({ ok: true, events: 12, checkpoints: 2 });
    // The failed Parse cost that connection (pg's pool drops a client whose query failed); on its replacement
    // the append now runs unnamed, as it will for the rest of this process.
    expect(await statements()).not.toContain('hiraga_audit_append');
    await again.close();
  });
});
