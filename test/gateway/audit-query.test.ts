/**
 * What an auditor asks of the trail: which key made each call (`actor.credential`, never the key), one
 * user's or one key's events, blocked or failed ones, one model's, page after page; and, for 管理, when
 * each key was last used. On SQLite and, with HIRAGA_TEST_DATABASE_URL, on PostgreSQL, where the lookups
 * by credential must be served by migration 080's expression index.
 */
import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyHintOf, sha256Hex } from '../../src/gateway/auth/keyring.js';
import type { RunningGateway } from '../../src/gateway/server.js';
import { openStore } from '../../src/store/open.js';
import { auditFieldSql } from '../../src/store/migrations/080_audit_lookup.js';
import { eventsQuery, queryEvents } from '../../src/audit/query.js';
import { freshPostgresDatabase } from '../helpers/store.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';
import { KEYS, apiKeys, call, startTestGateway, testConfig, upstreamModels } from './helpers.js';

const GLOBAL_ADMIN = 'key-admin-every-tenant-01';
const UNUSED = 'key-never-used-minato-01';
const hint = (key: string) => keyHintOf(sha256Hex(key));
const DB_URL = process.env.HIRAGA_TEST_DATABASE_URL;

describe.each([
  { name: 'sqlite', database: false },
  ...(DB_URL ? [{ name: 'postgres', database: true }] : []),
])('audit queries on $name', ({ database }) => {
  let up: Upstream;
  let gw: RunningGateway;
  let config: ReturnType<typeof testConfig>;
  let db: Awaited<ReturnType<typeof freshPostgresDatabase>> | undefined;
  /** Every event of tenant minato, newest first, as one unpaged query returns them. */
  let all: any[];

  const chat = (key: string, content: string, model = 'up') => call(gw, '/v1/chat/completions', { key, body: { model, messages: [{ role: 'user', content }] } });
  const audit = async (query: string, key: string = KEYS.auditor) => call(gw, `/api/audit?${query}`, { key });

  beforeAll(async () => {
    up = await startUpstream();
    if (database) db = await freshPostgresDatabase(DB_URL!, 'hiraga_auditq');
    const keys = [...apiKeys(), { key: GLOBAL_ADMIN, user: 'root', role: 'admin', tenant: '*' }, { key: UNUSED, user: 'idle', role: 'staff', tenant: 'minato' }];
    config = testConfig({ models: upstreamModels(up.url), auth: { apiKeys: keys }, ...(db ? { database: db.url } : {}) });
    gw = await startTestGateway(config);
    expect((await chat(KEYS.staff, '会議室の予約方法を教えてください')).status).toBe(200);
    expect((await chat(KEYS.staff, '議事録の書き方は')).status).toBe(200);
    expect((await chat(KEYS.staff2, '出張旅費の精算について')).status).toBe(200);
    // Personal data of level 3 to a model cleared for 1: blocked, and audited as such.
    expect((await chat(KEYS.staff2, 'マイナンバー 123456789018 の山田太郎さんの住所は東京都港区芝公園1-1-1です。', 'foreign')).status).toBe(403);
    up.script([{ status: 500 }]);
    expect((await chat(KEYS.staff, '失敗する呼び出し')).status).toBeGreaterThanOrEqual(500);
    expect((await chat(KEYS.other, '千代田区の職員の質問')).status).toBe(200);
    const r = await audit('limit=1000');
    expect(r.status).toBe(200);
    all = r.json.events;
  }, 60_000);

  afterAll(async () => {
    await gw?.close();
    await up?.close();
    await db?.drop();
  });

  it('records which key made each call, as 管理 lists it, and never the key', async () => {
    const ofKey = { staff1: hint(KEYS.staff), staff2: hint(KEYS.staff2) } as Record<string, string>;
    const callers = all.filter((e) => e.actor.user in ofKey);
    // Three calls of staff1 (one failed) and two of staff2 (one blocked before any model call).
    expect(callers.length).toBeGreaterThanOrEqual(5);
    for (const e of callers) expect(e.actor.credential, `event ${e.id} (${e.action})`).toBe(ofKey[e.actor.user]);
    const listed = (await call(gw, '/api/admin/users', { key: KEYS.admin })).json as Array<{ user: string; keyHint: string }>;
    expect(listed.find((k) => k.user === 'staff1')!.keyHint).toBe(hint(KEYS.staff));
    expect(JSON.stringify(all)).not.toContain(KEYS.staff);
    expect((await call(gw, '/api/audit/verify', { key: KEYS.auditor, body: {} })).json.ok).toBe(true);
  });

  it('filters by credential, user, outcome and model', async () => {
    const byKey = (await audit(`credential=${encodeURIComponent(hint(KEYS.staff2))}`)).json.events;
    expect(byKey.length).toBe(all.filter((e) => e.actor.credential === hint(KEYS.staff2)).length);
    expect(byKey.length).toBeGreaterThanOrEqual(2);
    expect(byKey.every((e: any) => e.actor.user === 'staff2')).toBe(true);

    const byUser = (await audit('user=staff1')).json.events;
    expect(byUser.map((e: any) => e.id)).toEqual(all.filter((e) => e.actor.user === 'staff1').map((e) => e.id));

    const blocked = (await audit('outcome=block')).json.events;
    expect(blocked.length).toBeGreaterThanOrEqual(1);
    expect(blocked.every((e: any) => e.outcome === 'block' && e.actor.user === 'staff2')).toBe(true);
    const failed = (await audit('outcome=error&action=model.call')).json.events;
    expect(failed.map((e: any) => e.actor.credential)).toEqual([hint(KEYS.staff)]);

    const foreign = (await audit('model=foreign')).json.events;
    expect(foreign.length).toBeGreaterThanOrEqual(1);
    expect(foreign.every((e: any) => e.model.id === 'foreign')).toBe(true);
    expect((await audit('user=staff1&outcome=block')).json.events).toEqual([]);
  });

  it('pages newest first with before / nextBefore, each event once', async () => {
    const seen: number[] = [];
    let query = 'limit=2';
    for (let page = 0; page < 50; page++) {
      const r = await audit(query);
      expect(r.status).toBe(200);
      seen.push(...r.json.events.map((e: any) => e.id));
      if (!r.json.more) {
        expect(r.json.nextBefore).toBeUndefined();
        break;
      }
      expect(r.json.events).toHaveLength(2);
      expect(r.json.nextBefore).toBe(r.json.events[1].id);
      query = `limit=2&before=${r.json.nextBefore}`;
    }
    expect(seen).toEqual(all.map((e) => e.id));
    const last = await audit(`limit=${all.length}`);
    expect(last.json.more).toBe(false);
  });

  it('keeps each tenant to its own events; an admin of every tenant may pick one', async () => {
    expect(all.every((e) => e.actor.tenant === 'minato')).toBe(true);
    const other = await audit('tenant=chiyoda');
    expect(other.status).toBe(403);
    expect(other.json.error.message).toContain('chiyoda');
    expect((await audit(`credential=${encodeURIComponent(hint(KEYS.other))}`)).json.events).toEqual([]);
    const chiyoda = (await audit('tenant=chiyoda', GLOBAL_ADMIN)).json.events;
    expect(chiyoda.length).toBeGreaterThanOrEqual(1);
    expect(chiyoda.every((e: any) => e.actor.tenant === 'chiyoda')).toBe(true);
  });

  it('answers a bad query with 400 naming the parameter', async () => {
    for (const [query, param] of [
      ['before=abc', 'before'],
      ['before=0', 'before'],
      ['user=', 'user'],
      [`credential=${'x'.repeat(65)}`, 'credential'],
      ['limit=1001', 'limit'],
    ] as const) {
      const r = await audit(query);
      expect(r.status, query).toBe(400);
      expect(r.json.error.message, query).toContain(param);
    }
    expect((await audit('user=staff1', KEYS.staff)).status).toBe(403);
  });

  it('tells 管理 when each key was last used: its newest audit event', async () => {
    const users = (await call(gw, '/api/admin/users', { key: KEYS.admin })).json as Array<{ user: string; lastUsedAt: string | null }>;
    const at = (user: string) => users.find((u) => u.user === user)!.lastUsedAt;
    const newestOf = (user: string) => all.find((e) => e.actor.user === user)!.time;
    expect(at('staff1')).toBe(newestOf('staff1'));
    expect(at('staff2')).toBe(newestOf('staff2'));
    expect(at('idle')).toBeNull();
    expect(users.some((u) => u.user === 'staff9')).toBe(false);
    // A later call moves it.
    expect((await chat(KEYS.staff2, 'もう一度')).status).toBe(200);
    const again = (await call(gw, '/api/admin/users', { key: KEYS.admin })).json as Array<{ user: string; lastUsedAt: string | null }>;
    expect(Date.parse(again.find((u) => u.user === 'staff2')!.lastUsedAt!)).toBeGreaterThan(Date.parse(at('staff2')!));
  });

  it("labels a call with a collection (hiraga.collection) only if it is one of the caller's tenant's", async () => {
    const form = new FormData();
    form.append('files', new Blob(['第一条　この規則は、千代田区の公文書の管理に関し必要な事項を定める。']), 'kisoku.txt');
    const res = await fetch(`${gw.url}/api/collections/chiyoda-reiki/ingest`, { method: 'POST', headers: { authorization: `Bearer ${KEYS.other}` }, body: form });
    expect(res.status).toBe(202);
    const { job } = (await res.json()) as { job: string };
    await expect.poll(async () => (await call(gw, `/api/jobs/${job}`, { key: KEYS.other })).json.state, { timeout: 20_000 }).toBe('done');
    const labelled = (key: string) => call(gw, '/v1/chat/completions', { key, body: { model: 'up', messages: [{ role: 'user', content: '公文書の管理' }], hiraga: { collection: 'chiyoda-reiki' } } });
    const before = up.requests.length;
    const foreign = await labelled(KEYS.staff);
    expect(foreign.status).toBe(404);
    expect(foreign.text).not.toContain('chiyoda-reiki" exists');
    expect(up.requests.length).toBe(before);
    expect((await call(gw, '/v1/responses', { key: KEYS.staff, body: { model: 'up', input: 'x', hiraga: { collection: 'chiyoda-reiki' } } })).status).toBe(404);
    const own = await labelled(KEYS.other);
    expect(own.status).toBe(200);
    const events = (await audit('tenant=chiyoda&action=model.call&limit=1', GLOBAL_ADMIN)).json.events;
    expect(events[0]).toMatchObject({ collection: 'chiyoda-reiki', actor: { user: 'staff9', credential: hint(KEYS.other) } });
  });

  it('finds a rare outcome (block, error…) through the partial index, and a routine one by reading the newest events', async () => {
    const store = await openStore(config.store);
    try {
      const plan = async (q: Parameters<typeof eventsQuery>[1]) => {
        const compiled = eventsQuery(store.db, q, store.dialect).compile();
        return store.db.connection().execute(async (conn) => {
          if (store.dialect === 'postgres') await sql`SET enable_seqscan = off`.execute(conn);
          const explain = store.dialect === 'postgres' ? 'EXPLAIN' : 'EXPLAIN QUERY PLAN';
          const rows = await conn.executeQuery<Record<string, unknown>>(CompiledQuery.raw(`${explain} ${compiled.sql}`, [...compiled.parameters]));
          if (store.dialect === 'postgres') await sql`RESET enable_seqscan`.execute(conn);
          return rows.rows.map((r) => Object.values(r).join(' ')).join('\n');
        });
      };
      expect(await plan({ outcome: 'block', tenant: 'minato', before: 1_000_000, limit: 50 })).toContain('audit_events_outcome');
      expect(await plan({ outcome: 'allow', tenant: 'minato', limit: 50 })).not.toContain('audit_events_outcome');
      // And the answers are the events with that outcome, newest first.
      const blocked = await queryEvents(store.db, { outcome: 'block' }, store.dialect);
      expect(blocked.length).toBeGreaterThan(0);
      expect(blocked.every((e) => e.outcome === 'block')).toBe(true);
      expect(blocked.map((e) => e.id)).toEqual([...blocked.map((e) => e.id)].sort((a, b) => b - a));
    } finally {
      await store.close();
    }
  });

  it('looks a credential up through the index, not by reading every event', async () => {
    const store = await openStore(config.store);
    try {
      const field = auditFieldSql(store.dialect, 'credential');
      const query = sql`SELECT time FROM audit_events WHERE ${field} = ${hint(KEYS.staff)} ORDER BY id DESC LIMIT 1`;
      const text = await store.db.connection().execute(async (conn) => {
        // On PostgreSQL a table this small may be read whole by the planner's choice; forbid that to see that the index applies.
        if (store.dialect === 'postgres') await sql`SET enable_seqscan = off`.execute(conn);
        const plan = await sql<Record<string, unknown>>`${sql.raw(store.dialect === 'postgres' ? 'EXPLAIN' : 'EXPLAIN QUERY PLAN')} ${query}`.execute(conn);
        if (store.dialect === 'postgres') await sql`RESET enable_seqscan`.execute(conn);
        return plan.rows.map((r) => Object.values(r).join(' ')).join('\n');
      });
      expect(text).toContain('audit_events_credential');
    } finally {
      await store.close();
    }
  });
});
