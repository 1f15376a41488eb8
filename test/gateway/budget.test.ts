/**
 * Monthly budgets per tenant (config `budgets`): a tenant at its limit gets 429 `budget_exceeded` on every call
 * that would reach a model, nothing is sent, other tenants go on; the spend comes from the usage records, so it
 * survives a restart and reaches every node on the same database; the month is Japan's.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { Budgets, jstMonth } from '../../src/gateway/limits/budget.js';
import type { RunningGateway } from '../../src/gateway/server.js';
import { UsageLedger } from '../../src/gateway/usage.js';
import { kyselyUsageWriter } from '../../src/gateway/usage-writer.js';
import { backfillUsageMonthly } from '../../src/store/migrations/070_usage_monthly.js';
import { dropStore, storeCases, tempDir } from '../helpers/store.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';
import { apiKeys, call, KEYS, startTestGateway, testConfig, upstreamModels } from './helpers.js';

let up: Upstream;
let gw: RunningGateway;
let dataDir: string;
const ADMIN_CHIYODA = 'key-admin-chiyoda-0001';

// Every token costs ¥1 on `priced`: a call of a few dozen tokens costs a few dozen yen.
const config = (dir: string) =>
  testConfig(
    {
      models: [...upstreamModels(up.url), { id: 'priced', provider: 'openai-compatible', baseUrl: up.url, model: 'priced-model', origin: 'domestic', hosting: 'on-prem', clearance: 3, retries: 0, priceInputPer1k: 1000, priceOutputPer1k: 1000, embeddingModel: 'priced-embed' }],
      defaultModel: 'priced',
      auth: { apiKeys: [...apiKeys(), { key: ADMIN_CHIYODA, user: 'admin9', role: 'admin', tenant: 'chiyoda' }] },
      budgets: { tenants: { minato: { monthlyJpy: 60 }, chiyoda: { monthlyJpy: 60, monthlyTokens: 1_000_000 } }, refreshMs: 200 },
    },
    dir,
  );

const ask = (key: string, content = '予算の確認です') => call(gw, '/v1/chat/completions', { key, body: { messages: [{ role: 'user', content }] } });
const sent = () => up.requests.length;

beforeAll(async () => {
  up = await startUpstream();
  dataDir = tempDir('hiraga-budget-');
  gw = await startTestGateway(config(dataDir));
}, 60_000);

afterAll(async () => {
  await gw?.close();
  await up?.close();
});

describe('monthly budgets per tenant', () => {
  it('lets a tenant spend up to its limit, then refuses with 429 budget_exceeded and sends nothing', async () => {
    const before = (await call(gw, '/api/budget', { key: KEYS.staff })).json;
    expect(before).toMatchObject({ tenant: 'minato', limit: { monthlyJpy: 60 }, spent: { jpy: 0, tokens: 0 }, remaining: { jpy: 60 }, exceeded: false });
    expect(before.month).toBe(jstMonth(Date.now()).key);

    let ok = 0;
    let refused: Awaited<ReturnType<typeof ask>> | undefined;
    for (let i = 0; i < 50 && !refused; i++) {
      const r = await ask(KEYS.staff);
      if (r.status === 200) ok++;
      else refused = r;
    }
    expect(ok).toBeGreaterThan(0);
    expect(refused!.status).toBe(429);
    expect(refused!.json.error).toMatchObject({ code: 'budget_exceeded', type: 'rate_limit_error' });
    expect(refused!.json.error.message).toContain('¥60');
    expect(refused!.headers.get('x-should-retry')).toBe('false');
    const retryAfter = Number(refused!.headers.get('retry-after'));
    expect(retryAfter * 1000).toBeGreaterThan(jstMonth(Date.now()).end - Date.now() - 5_000);

    const status = (await call(gw, '/api/budget', { key: KEYS.staff })).json;
    expect(status.exceeded).toBe(true);
    expect(status.spent.jpy).toBeGreaterThanOrEqual(60);
    expect(status.remaining.jpy).toBe(0);
    // /metrics has it too, for alerts before a tenant runs out.
    const metrics = (await call(gw, '/metrics')).text;
    expect(metrics).toContain('hiraga_budget_limit{tenant="minato",unit="jpy"} 60');
    expect(Number(/hiraga_budget_spent\{tenant="minato",unit="jpy"\} ([\d.]+)/.exec(metrics)?.[1])).toBeCloseTo(status.spent.jpy, 6);
    expect(metrics).toContain('hiraga_errors_total{code="budget_exceeded"}');
    // What /api/budget counts is what /api/usage reports for the month.
    const usage = (await call(gw, '/api/usage?groupBy=tenant&bucket=all', { key: KEYS.admin })).json.rows;
    expect(usage.find((r: { key: string }) => r.key === 'minato').cost_jpy).toBeCloseTo(status.spent.jpy, 3);

    // Every way to a model is closed for the tenant; nothing reaches the model server.
    const from = sent();
    expect((await call(gw, '/v1/chat/completions', { key: KEYS.staff2, body: { stream: true, messages: [{ role: 'user', content: 'x' }] } })).status).toBe(429);
    expect((await call(gw, '/v1/embeddings', { key: KEYS.staff, body: { model: 'priced', input: '埋め込み' } })).json.error.code).toBe('budget_exceeded');
    const app = { id: 'budget-app', title: '要約', description: '要約', inputs: [{ name: 'text', label: '本文', type: 'textarea', required: true }], prompt: '要約: {{text}}', model: 'priced' };
    expect((await call(gw, '/api/apps/test', { key: KEYS.staff, body: { app, inputs: { text: '本文' } } })).json.error.code).toBe('budget_exceeded');
    expect(sent()).toBe(from);
  });

  it('the official client does not retry a budget refusal (x-should-retry: false)', async () => {
    let requests = 0;
    const client = new OpenAI({
      baseURL: `${gw.url}/v1`,
      apiKey: KEYS.staff,
      maxRetries: 3,
      fetch: (url: RequestInfo | URL, init?: RequestInit) => {
        requests++;
        return fetch(url, init);
      },
    });
    const err = await client.chat.completions.create({ model: 'priced', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect((err as InstanceType<typeof OpenAI.RateLimitError>).code).toBe('budget_exceeded');
    expect(requests).toBe(1);
  });

  it('leaves other tenants alone', async () => {
    const r = await ask(KEYS.other);
    expect(r.status).toBe(200);
    expect((await call(gw, '/api/budget', { key: KEYS.other })).json).toMatchObject({ tenant: 'chiyoda', exceeded: false });
    // Another tenant's budget is not theirs to read.
    expect((await call(gw, '/api/budget?tenant=minato', { key: KEYS.other })).status).toBe(403);
  });

  it('keeps the refusal across a restart and on a second node, and shows another node’s spend within refreshMs', async () => {
    const second = await startTestGateway(config(dataDir));
    try {
      // A node that never served minato reads its spend from the records at its first call.
      const r = await call(second, '/v1/chat/completions', { key: KEYS.staff, body: { messages: [{ role: 'user', content: 'x' }] } });
      expect(r.json.error.code).toBe('budget_exceeded');
      // Chiyoda spends its budget through the second node; the first node (which has served chiyoda) refuses it soon after.
      let refusedThere = false;
      for (let i = 0; i < 50 && !refusedThere; i++) {
        const x = await call(second, '/v1/chat/completions', { key: KEYS.other, body: { messages: [{ role: 'user', content: '別のノードで予算を使います' }] } });
        refusedThere = x.status === 429;
      }
      expect(refusedThere).toBe(true);
      const deadline = Date.now() + 5_000;
      while (Date.now() < deadline && !(await call(gw, '/api/budget', { key: KEYS.other })).json.exceeded) await new Promise((res) => setTimeout(res, 50));
      expect((await ask(KEYS.other)).json.error.code).toBe('budget_exceeded');
    } finally {
      await second.close();
    }
  });

  it('shows an admin their tenant’s budget in the policy view', async () => {
    expect((await call(gw, '/api/admin/policies', { key: KEYS.admin })).json.budgets).toEqual({ tenant: 'minato', limit: { monthlyJpy: 60 }, refreshMs: 200 });
    expect((await call(gw, '/api/admin/policies', { key: ADMIN_CHIYODA })).json.budgets.limit).toEqual({ monthlyJpy: 60, monthlyTokens: 1_000_000 });
  });

  it('refuses a budget without a limit in the config, saying which field', () => {
    const load = (budgets: unknown) => loadConfig({ dataDir: tempDir(), env: {}, cwd: tempDir(), overrides: { budgets } });
    expect(() => load({ tenants: { minato: {} } })).toThrow(/budgets\.tenants\.minato.*monthlyJpy/s);
    expect(() => load({ tenants: { minato: { monthlyJpy: -1 } } })).toThrow(/budgets\.tenants\.minato\.monthlyJpy/);
  });
});

describe('the month and the spend, on each store', () => {
  it('counts a month in Japan time', () => {
    expect(jstMonth(Date.parse('2026-11-30T14:59:59Z')).key).toBe('2026-11');
    const dec = jstMonth(Date.parse('2026-11-30T15:00:00Z'));
    expect(dec.key).toBe('2026-12');
    expect(new Date(dec.start).toISOString()).toBe('2026-11-30T15:00:00.000Z');
    expect(new Date(dec.end).toISOString()).toBe('2026-12-31T15:00:00.000Z');
  });

  for (const sc of storeCases()) {
    for (const writer of ['fitting', 'kysely'] as const) {
      it(`${sc.name}, ${writer} writer: keeps each tenant's month with the records, as the migration's SQL computes it from them`, async () => {
        const store = await sc.open();
        const ledger = new UsageLedger(store, { flushMs: 60_000, ...(writer === 'kysely' ? { writer: kyselyUsageWriter(store) } : {}) });
        const row = (tenant: string, time: string, costJpy: number, tokens: number) =>
          ledger.record({ time, tenant, user: 'u', model: 'm', usage: { prompt_tokens: tokens, completion_tokens: 0, total_tokens: tokens }, costJpy, energyWh: 0, latencyMs: 1 });
        const monthly = async () => (await store.db.selectFrom('usage_monthly').selectAll().orderBy('tenant').orderBy('month').execute()).map((r) => ({ ...r, calls: Number(r.calls), tokens: Number(r.tokens) }));
        try {
          row('a', '2026-11-30T14:59:59.999Z', 1.5, 10); // 23:59 on 30 November in Japan
          row('a', '2026-11-30T15:00:00.000Z', 2.25, 20); // midnight on 1 December in Japan
          row('a', '2026-12-31T14:00:00.000Z', 3, 2_000_000_000);
          row('b', '2026-12-01T00:00:00.000Z', 4, 40);
          await ledger.flush();
          row('a', '2026-12-02T00:00:00.000Z', 0.25, 2_000_000_000); // a second batch adds to the month, past what 32 bits hold
          await ledger.flush();
          const written = await monthly();
          expect(written).toEqual([
            { tenant: 'a', month: '2026-11', calls: 1, tokens: 10, cost_jpy: 1.5 },
            { tenant: 'a', month: '2026-12', calls: 3, tokens: 4_000_000_020, cost_jpy: 5.5 },
            { tenant: 'b', month: '2026-12', calls: 1, tokens: 40, cost_jpy: 4 },
          ]);
          expect(await ledger.spent('a', '2026-12')).toEqual({ jpy: 5.5, tokens: 4_000_000_020 });
          // An installation upgraded to this table fills it from its records.
          await store.db.deleteFrom('usage_monthly').execute();
          await backfillUsageMonthly(store.db, store.dialect);
          expect(await monthly()).toEqual(written);
        } finally {
          await ledger.close();
          await dropStore(store);
        }
      });
    }

    it(`${sc.name}: reads the month's spend from the usage records, counts its own calls at once, and starts over with the month`, async () => {
      const store = await sc.open();
      let budgets: Budgets | null = null;
      const ledger = new UsageLedger(store, { flushMs: 60_000, onRecord: (e) => budgets?.record(e.tenant, e.costJpy, e.usage.total_tokens) });
      let now = Date.parse('2026-12-10T03:00:00Z');
      budgets = new Budgets({ tenants: { t1: { monthlyJpy: 100 } }, default: { monthlyTokens: 50 }, refreshMs: 1000 }, ledger, { now: () => now });
      const row = (tenant: string, time: string, costJpy: number, tokens: number) =>
        ledger.record({ time, tenant, user: 'u', model: 'm', usage: { prompt_tokens: tokens, completion_tokens: 0, total_tokens: tokens }, costJpy, energyWh: 0, latencyMs: 1 });
      try {
        row('t1', '2026-11-30T14:59:00Z', 500, 10); // 23:59 on 30 November in Japan: last month
        row('t1', '2026-11-30T15:01:00Z', 60, 10); // 00:01 on 1 December in Japan
        row('t2', '2026-12-01T00:00:00Z', 0, 49);
        await budgets.admit({ tenant: 't1' });
        expect((await budgets.status('t1')).spent).toEqual({ jpy: 60, tokens: 10 });
        await budgets.admit({ tenant: 't2' }); // 49 of 50 tokens: still in
        row('t1', '2026-12-10T03:00:01Z', 40, 5); // counted at once, before any flush
        expect(() => budgets!.admit({ tenant: 't1' })).toThrow(/¥100/);
        row('t2', '2026-12-10T03:00:02Z', 0, 1);
        expect(() => budgets!.admit({ tenant: 't2' })).toThrow(/token budget of 50/);
        // The default applies to unlisted tenants: their spend is read at their first call.
        const first = budgets.admit({ tenant: 't3' });
        expect(first).toBeInstanceOf(Promise);
        await first;
        expect((await budgets.status('t3')).limit).toEqual({ monthlyTokens: 50 });
        // A tenant named like a property of every object still gets the default, not that property.
        for (const tenant of ['constructor', 'toString', '__proto__']) expect(budgets.limitOf(tenant)).toEqual({ monthlyTokens: 50 });
        // Without a default, an unlisted tenant has no limit and costs no read.
        const none = new Budgets({ tenants: { t1: { monthlyJpy: 1 } }, refreshMs: 1000 }, ledger);
        expect(none.admit({ tenant: 't3' })).toBeUndefined();
        // A re-read finds the same figures in the store (nothing counted twice).
        await budgets.refresh();
        expect((await budgets.status('t1')).spent).toEqual({ jpy: 100, tokens: 15 });
        // The next month starts over.
        now = Date.parse('2026-12-31T15:00:00Z');
        await budgets.admit({ tenant: 't1' });
        expect((await budgets.status('t1')).spent).toEqual({ jpy: 0, tokens: 0 });
      } finally {
        budgets.close();
        await ledger.close();
        await dropStore(store);
      }
    });
  }
});
