import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/open.js';
import { UsageLedger, type UsageEntry } from '../../src/gateway/usage.js';
import { usageWriterFor, type UsageWriter } from '../../src/gateway/usage-writer.js';
import { dropStore, storeCases } from '../helpers/store.js';

const entry = (i: number): UsageEntry => ({
  time: `2026-12-0${1 + (i % 2)}T10:00:00.000Z`,
  tenant: i % 3 === 0 ? 'other' : 'city',
  user: `u${i % 4}`,
  app: i % 5 === 0 ? 'summarize' : undefined,
  model: 'm',
  usage: { prompt_tokens: 10, completion_tokens: i, total_tokens: 10 + i },
  costJpy: 0.5,
  energyWh: 0.25,
  latencyMs: 12.4,
  auditId: i + 1,
});

describe.each(storeCases())('usage ledger ($name)', ({ open }) => {
  let store: Store | null = null;
  afterEach(async () => {
    if (store) await dropStore(store);
    store = null;
  });

  it('writes buffered rows in batches of at most maxBatch and sums them per group', async () => {
    store = await open();
    const writes: number[] = [];
    // The writer this store gets by default, counting the rows of each write.
    const inner = usageWriterFor(store);
    const writer: UsageWriter = { write: (rows) => (writes.push(rows.length), inner.write(rows)), close: () => inner.close() };
    const ledger = new UsageLedger(store, { maxBatch: 64, flushMs: 60_000, writer });
    for (let i = 0; i < 150; i++) ledger.record(entry(i));
    const rows = await ledger.query({ tenant: 'city', groupBy: 'user', bucket: 'all' });
    expect(writes).toEqual([64, 64, 22]);
    const city = Array.from({ length: 150 }, (_, i) => entry(i)).filter((e) => e.tenant === 'city');
    expect(rows.reduce((n, r) => n + r.calls, 0)).toBe(city.length);
    expect(rows.reduce((n, r) => n + r.tokens, 0)).toBe(city.reduce((n, e) => n + e.usage.total_tokens, 0));
    const byDay = await ledger.query({ tenant: 'city', groupBy: 'app', bucket: 'day' });
    expect(byDay.map((r) => `${r.key}/${r.bucket}`).sort()).toEqual(['/2026-12-01', '/2026-12-02', 'summarize/2026-12-01', 'summarize/2026-12-02']);
    const stored = await store.db.selectFrom('usage_records').selectAll().where('audit_id', '=', 6).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ tenant: 'city', user_id: 'u1', app: 'summarize', latency_ms: 12, cost_jpy: 0.5, day: '2026-12-02' });
    await ledger.close();
  });

  it('writes on its timer without a query, and a failed write is reported, not thrown', async () => {
    store = await open();
    const ledger = new UsageLedger(store, { flushMs: 20 });
    ledger.record({ ...entry(1), app: undefined, auditId: undefined });
    const deadline = Date.now() + 5000;
    let n = 0;
    while (Date.now() < deadline && n === 0) {
      await new Promise((r) => setTimeout(r, 20));
      n = Number((await store.db.selectFrom('usage_records').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    }
    expect(n).toBe(1);
    expect(await store.db.selectFrom('usage_records').select(['app', 'audit_id']).executeTakeFirstOrThrow()).toEqual({ app: '', audit_id: null });
    await ledger.close();

    const errors: unknown[] = [];
    const failing = new UsageLedger(store, { onError: (e) => errors.push(e), writer: { write: async () => Promise.reject(new Error('disk full')), close: async () => {} } });
    failing.record(entry(2));
    await failing.flush();
    expect((errors[0] as Error).message).toBe('disk full');
    await failing.close();
  });
});
