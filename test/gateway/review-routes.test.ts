/**
 * The review queue over HTTP on real gateways (SQLite, and PostgreSQL as a new installation migrates it):
 * GET /api/review pages through the queue (the body stays a bare array; X-Has-More and Link say what follows),
 * and decisions racing over HTTP leave one decision and one audit event per item.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/core/types.js';
import type { RunningGateway } from '../../src/gateway/server.js';
import { freshPostgresDatabase } from '../helpers/store.js';
import { call, KEYS, startTestGateway, testConfig } from './helpers.js';

const DB_URL = process.env.HIRAGA_TEST_DATABASE_URL;
const staff: Actor = { user: 'staff1', role: 'staff', tenant: 'minato' };
const outsider: Actor = { user: 'staff9', role: 'staff', tenant: 'chiyoda' };

describe.each([
  ['SQLite', false],
  ['PostgreSQL', true],
] as const)('review routes (%s)', (_name, onPostgres) => {
  let gw: RunningGateway;
  let db: Awaited<ReturnType<typeof freshPostgresDatabase>> | undefined;
  /** Pending items of minato, oldest first. */
  const pending: number[] = [];
  const approved: number[] = [];

  beforeAll(async () => {
    if (onPostgres) {
      if (!DB_URL) throw new Error('the PostgreSQL case needs HIRAGA_TEST_DATABASE_URL (a local PostgreSQL)');
      db = await freshPostgresDatabase(DB_URL, 'hiraga_review');
    }
    gw = await startTestGateway(
      testConfig({
        models: [{ id: 'extractive', provider: 'extractive' }],
        defaultModel: 'extractive',
        ...(db ? { database: db.url } : {}),
        server: { rateLimitPerKey: 100_000, rateLimitPerTenant: 100_000 },
      }),
    );
    const review = gw.services.review;
    for (let i = 0; i < 240; i++) {
      const item = await review.enqueue({ requester: i % 40 === 7 ? outsider : staff, reasons: ['copyright'], output: `保留された回答 ${i}` });
      if (item.tenant === 'minato') pending.push(item.id);
    }
    // A few decided ones, interleaved (taken out of the pending list).
    for (const id of pending.splice(10, 3)) {
      await review.approve(id, { actor: { user: 'rev1', role: 'reviewer', tenant: 'minato' }, reason: '確認済み' });
      approved.push(id);
    }
  }, 120_000);

  afterAll(async () => {
    await gw?.close();
    await db?.drop();
  });

  const ids = (r: { json: unknown }) => (r.json as { id: number }[]).map((i) => i.id);

  it('GET /api/review: 100 oldest first by default, X-Has-More and a Link to the next page, until the last', async () => {
    const first = await call(gw, '/api/review', { key: KEYS.reviewer });
    expect(first.status).toBe(200);
    expect(Array.isArray(first.json)).toBe(true);
    expect(ids(first)).toEqual(pending.slice(0, 100));
    expect(first.headers.get('x-has-more')).toBe('true');
    expect(first.headers.get('link')).toBe(`</api/review?status=pending&after=${pending[99]}&limit=100>; rel="next"`);

    // Following the links visits every pending item once, in order.
    const seen = [...ids(first)];
    let link = first.headers.get('link');
    let pages = 1;
    while (link) {
      const next = /^<([^>]+)>; rel="next"$/.exec(link)![1]!;
      const r = await call(gw, next, { key: KEYS.reviewer });
      expect(r.status).toBe(200);
      seen.push(...ids(r));
      link = r.headers.get('link');
      expect(r.headers.get('x-has-more')).toBe(link ? 'true' : 'false');
      pages++;
    }
    expect(seen).toEqual(pending);
    expect(pages).toBe(Math.ceil(pending.length / 100));
  });

  it('takes limit 1–500 and after=<id>; the status filter stays in the link', async () => {
    const all = await call(gw, '/api/review?limit=500', { key: KEYS.reviewer });
    expect(ids(all)).toEqual(pending);
    expect(all.headers.get('x-has-more')).toBe('false');
    expect(all.headers.get('link')).toBeNull();

    const two = await call(gw, `/api/review?limit=2&after=${pending[4]}`, { key: KEYS.reviewer });
    expect(ids(two)).toEqual(pending.slice(5, 7));
    expect(two.headers.get('link')).toBe(`</api/review?status=pending&after=${pending[6]}&limit=2>; rel="next"`);

    const decided = await call(gw, '/api/review?status=approved&limit=1', { key: KEYS.reviewer });
    expect(ids(decided)).toEqual(approved.slice(0, 1));
    expect(decided.headers.get('link')).toBe(`</api/review?status=approved&after=${approved[0]}&limit=1>; rel="next"`);
    const rest = await call(gw, `/api/review?status=approved&after=${approved[0]}&limit=1`, { key: KEYS.reviewer });
    expect(ids(rest)).toEqual(approved.slice(1, 2));

    // An empty value is the default; past the end is an empty page.
    expect(ids(await call(gw, '/api/review?limit=&after=', { key: KEYS.reviewer }))).toEqual(pending.slice(0, 100));
    const end = await call(gw, `/api/review?after=${pending.at(-1)}`, { key: KEYS.reviewer });
    expect(end.json).toEqual([]);
    expect(end.headers.get('x-has-more')).toBe('false');
  });

  it('refuses a bad limit or after with a 400 that names the parameter and what to give', async () => {
    for (const limit of ['0', '501', '-1', '1.5', 'abc', '1e2', '0x10', ' 5', '99999999999']) {
      const r = await call(gw, `/api/review?limit=${encodeURIComponent(limit)}`, { key: KEYS.reviewer });
      expect(r.status, limit).toBe(400);
      expect(r.json.error).toMatchObject({ param: 'limit' });
      expect(r.json.error.message).toMatch(/^limit「.*」は使えません。1〜500 の整数で指定してください \/ limit = .*: give a whole number from 1 to 500/);
    }
    for (const after of ['0', '-1', '1.5', 'abc', '0x2', '1e3', '99999999999999999999']) {
      const r = await call(gw, `/api/review?after=${encodeURIComponent(after)}`, { key: KEYS.reviewer });
      expect(r.status, after).toBe(400);
      expect(r.json.error).toMatchObject({ param: 'after' });
      expect(r.json.error.message).toMatch(/^after「.*」は確認項目の番号ではありません。.* \/ after = .*: give a review item id/);
    }
  });

  it('takes only plain decimal ids (a safe integer from 1): anything else is a 400 naming it, never another item', async () => {
    const two = await call(gw, '/api/review/2', { key: KEYS.reviewer });
    expect(two.json).toMatchObject({ id: 2, status: 'pending' });
    for (const bad of ['0x2', '2.0', '1e0', '+2', '02', '0', '-1', '0b10', '２', '99999999999999999999', '9007199254740993', '12345678901234567']) {
      for (const [method, suffix] of [
        ['GET', ''],
        ['POST', '/approve'],
        ['POST', '/reject'],
      ] as const) {
        const r = await call(gw, `/api/review/${encodeURIComponent(bad)}${suffix}`, { key: KEYS.reviewer, ...(method === 'POST' ? { body: { reason: '確認済み' } } : {}) });
        expect(r.status, `${method} ${bad}${suffix} → ${r.text.slice(0, 200)}`).toBe(400);
        expect(r.json.error).toMatchObject({ code: 'bad_input', param: 'id' });
        expect(r.json.error.message).toContain(`「${bad}」`);
        expect(r.json.error.message).not.toContain('100000000000000000000');
      }
    }
    // The largest safe id is an id: it just does not exist (on PostgreSQL too, beyond the int4 column's range).
    expect((await call(gw, '/api/review/9007199254740991', { key: KEYS.reviewer })).status).toBe(404);
    expect((await call(gw, '/api/review/2147483648/approve', { key: KEYS.reviewer, body: { reason: '確認済み' } })).status).toBe(404);
    const beyond = await call(gw, '/api/review?after=9007199254740991', { key: KEYS.reviewer });
    expect(beyond.status, beyond.text).toBe(200);
    expect(beyond.json.items ?? beyond.json).toEqual([]);
    expect((await call(gw, '/api/review/2', { key: KEYS.reviewer })).json).toMatchObject({ id: 2, status: 'pending' });
  });

  it('approve and reject racing over HTTP: one 200, one 400 already_decided, one audit event per item', async () => {
    const review = gw.services.review;
    const items = [];
    for (let i = 0; i < 12; i++) items.push(await review.enqueue({ requester: staff, reasons: ['injection'], output: `競合 ${i}` }));
    const outcomes = await Promise.all(
      items.map(async (item) => {
        const [a, r] = await Promise.all([
          call(gw, `/api/review/${item.id}/approve`, { key: KEYS.reviewer, body: { reason: '問題なし' } }),
          call(gw, `/api/review/${item.id}/reject`, { key: KEYS.admin, body: { reason: '要修正' } }),
        ]);
        return { item, a, r };
      }),
    );
    const events = await gw.services.audit.query({ action: 'review.decision', limit: 10_000 });
    for (const { item, a, r } of outcomes) {
      expect([a.status, r.status].sort()).toEqual([200, 400]);
      const lost = a.status === 400 ? a : r;
      expect(lost.json.error.code).toBe('already_decided');
      const final = await review.get(item.id);
      const mine = events.filter((e) => e.detail?.reviewId === item.id);
      expect(mine, `events of item ${item.id}`).toHaveLength(1);
      expect(mine[0]).toMatchObject({ id: final.decision_audit_id, outcome: final.status });
      expect(final.status).toBe(a.status === 200 ? 'approved' : 'rejected');
    }
  });

  it('four eyes: a reviewer sees their own held output as not theirs to decide, and the server refuses it', async () => {
    const own = await gw.services.review.enqueue({ requester: { user: 'rev1', role: 'reviewer', tenant: 'minato' }, reasons: ['confidentiality'], output: '自分で依頼した回答' });
    const listed = (await call(gw, `/api/review?after=${own.id - 1}&limit=1`, { key: KEYS.reviewer })).json as Array<{ id: number; decidable: boolean }>;
    expect(listed).toMatchObject([{ id: own.id, decidable: false }]);
    expect((await call(gw, `/api/review/${own.id}`, { key: KEYS.admin })).json.decidable).toBe(true);
    const refused = await call(gw, `/api/review/${own.id}/approve`, { key: KEYS.reviewer, body: { reason: '自分で確認' } });
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe('self_review');
    const byAdmin = await call(gw, `/api/review/${own.id}/approve`, { key: KEYS.admin, body: { reason: '別の者が確認' } });
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.json).toMatchObject({ status: 'approved', decided_by: 'admin1', decidable: false });
  });
});
