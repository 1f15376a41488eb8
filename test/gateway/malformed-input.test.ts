/**
 * Bad input on the JSON routes that call a model or search, generated: valid bodies (chat completions,
 * responses, embeddings, search, 資料QA, an app run, an unsaved app definition tried out, an app saved, a guard scan) with fields
 * deleted, replaced by values of other types, or wrapped, from a fixed seed (so a failure reproduces). Every
 * answer is a success or a 4xx in the OpenAI error shape with a message naming what to fix — never a 5xx, a
 * hang or a crash — and the server still answers afterwards.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../src/gateway/server.js';
import { runIngest } from '../../src/retrieval/service.js';
import { rng } from '../helpers/rng.js';
import { freshPostgresDatabase } from '../helpers/store.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';
import { call, KEYS, startTestGateway, testConfig, upstreamModels } from './helpers.js';

let up: Upstream;
let gw: RunningGateway;

beforeAll(async () => {
  up = await startUpstream();
  gw = await startTestGateway(testConfig({ models: upstreamModels(up.url), server: { rateLimitPerKey: 100_000, rateLimitPerTenant: 100_000 } }));
  await runIngest(gw.services.config, gw.services.store, [path.resolve(import.meta.dirname, '../../samples/statutes/行政手続法.txt')], { collection: 'laws', tenant: 'minato' });
}, 60_000);

afterAll(async () => {
  await gw?.close();
  await up?.close();
});

const ODD_VALUES: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  1e308,
  Number.MAX_SAFE_INTEGER,
  '',
  ' ',
  'x',
  '\u0000',
  '__proto__',
  'constructor',
  'あ'.repeat(3000),
  [],
  [null],
  [[]],
  [{}],
  {},
  { type: 'x' },
  { role: 'user' },
  { role: 'tool' },
  { type: 'function' },
  { type: 'function_call' },
  { type: 'input_image', image_url: 'http://169.254.169.254/' },
  { __proto__: { polluted: true } },
  { toString: 'x', valueOf: 1 },
];

type Json = unknown;

/** Every path into a JSON value (object keys and array indexes), the root included. */
function paths(v: Json, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v && typeof v === 'object') for (const k of Object.keys(v)) paths((v as Record<string, Json>)[k], [...at, k], out);
  return out;
}

/** One mutation at a random path: delete it, replace it with an odd value, or wrap it in an array or object. */
function mutate(body: Json, next: () => number): Json {
  const copy = structuredClone(body) as Record<string, Json>;
  const all = paths(copy).filter((p) => p.length > 0);
  if (!all.length) return copy; // everything already deleted
  const path = all[Math.floor(next() * all.length)]!;
  const parent = path.slice(0, -1).reduce<any>((o, k) => o[k], copy);
  const key = path.at(-1)!;
  const kind = next();
  if (kind < 0.25) {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
  } else if (kind < 0.85) parent[key] = structuredClone(ODD_VALUES[Math.floor(next() * ODD_VALUES.length)]);
  else parent[key] = next() < 0.5 ? [parent[key]] : { value: parent[key] };
  return copy;
}

/**
 * `count` bodies made from `valid` by 1–3 mutations each (seeded), and bodies that are not objects, sent to
 * `route`: a success or a 4xx in the OpenAI error shape with a readable message, never a 5xx; the server stays up.
 */
async function sendMutated(target: RunningGateway, route: string, valid: Json, seed: number, count: number, key: string = KEYS.staff): Promise<void> {
  for (const raw of ['[]', '"x"', '1', 'null', 'true', '{"a":', '\u0000']) {
    const r = await call(target, route, { key, raw });
    expect(r.status, `${route} ← ${raw}`).toBe(400);
    expect(typeof r.json?.error?.message).toBe('string');
  }
  const next = rng(seed);
  const statuses = new Map<number, number>();
  for (let i = 0; i < count; i++) {
    let body: Json = valid;
    const mutations = 1 + Math.floor(next() * 3);
    for (let m = 0; m < mutations; m++) body = mutate(body, next);
    const r = await call(target, route, { key, body });
    statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    const where = `body #${i} (seed ${seed}): ${JSON.stringify(body).slice(0, 400)} → ${r.status} ${r.text.slice(0, 300)}`;
    expect(r.status < 500, where).toBe(true);
    if (r.status >= 400) {
      expect(typeof r.json?.error?.message, where).toBe('string');
      expect(r.json.error.message.length, where).toBeGreaterThan(10);
      expect(typeof r.json.error.code, where).toBe('string');
      expect(r.json.error.message, where).not.toMatch(/TypeError|Cannot read prop|undefined is not|is not a function|\[object Object\]/);
    }
  }
  // The generator reached both outcomes, and the server is still up.
  expect([...statuses.keys()].some((s) => s >= 200 && s < 300), JSON.stringify([...statuses])).toBe(true);
  expect([...statuses.keys()].some((s) => s === 400), JSON.stringify([...statuses])).toBe(true);
  expect((await call(target, '/healthz')).status).toBe(200);
}

const CHAT = {
  model: 'up',
  messages: [
    { role: 'system', content: '丁寧に答える' },
    { role: 'user', content: [{ type: 'text', text: '天気は？' }] },
    { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"港区"}' } }] },
    { role: 'tool', tool_call_id: 'c1', content: '晴れ' },
    { role: 'user', content: '傘は要りますか' },
  ],
  tools: [{ type: 'function', function: { name: 'get_weather', description: '天気', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
  tool_choice: 'auto',
  stop: ['。'],
  response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object' } } },
  max_tokens: 100,
  temperature: 0.5,
  stream: false,
  stream_options: { include_usage: true },
  hiraga: { confidentiality: 1, app: 'test' },
};

const RESPONSES = {
  model: 'up',
  instructions: '丁寧に答える',
  input: [
    { role: 'user', content: [{ type: 'input_text', text: '天気は？' }] },
    { type: 'function_call', call_id: 'c1', name: 'get_weather', arguments: '{"city":"港区"}' },
    { type: 'function_call_output', call_id: 'c1', output: '晴れ' },
    { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: '晴れです', annotations: [] }] },
    { role: 'user', content: '傘は要りますか' },
  ],
  tools: [{ type: 'function', name: 'get_weather', parameters: { type: 'object' } }],
  tool_choice: { type: 'function', name: 'get_weather' },
  text: { format: { type: 'json_schema', name: 'answer', schema: { type: 'object' } } },
  max_output_tokens: 100,
  temperature: 0.5,
  stream: false,
  metadata: { case: 'x' },
  hiraga: { confidentiality: 1 },
};

const EMBEDDINGS = { model: 'up', input: ['地方自治法', '行政手続法'], encoding_format: 'float' };
const SEARCH = { collection: 'laws', query: '行政手続法の目的', k: 3 };
const ASK = { collection: 'laws', question: '行政手続法の目的は？', model: 'up', k: 3, stream: false, confidentiality: 1 };
const APP_TEST = {
  app: {
    id: 'fuzz-app',
    title: '会議メモの要旨',
    description: '会議メモを要旨にする',
    inputs: [
      { name: 'text', label: '本文', type: 'textarea', required: true },
      { name: 'tone', label: '文体', type: 'select', options: ['formal', 'plain'], default: 'formal' },
      { name: 'limit', label: '字数', type: 'number', default: 200 },
    ],
    prompt: '次の会議メモを{{limit}}字で要旨にしてください（{{tone}}）。{{text}}',
    model: 'up',
  },
  inputs: { text: '議題は庁舎の節電。冷房は28度に設定する。', tone: 'plain', limit: '100' },
};
/** A full app definition, as the app builder saves it (POST /api/apps): the one tried out above, under its own id. */
const APP_SAVE = { ...APP_TEST.app, id: 'fuzz-saved', requiresReview: false };
const GUARD_SCAN = { text: '山田太郎さんの電話番号は090-1234-5678、マイナンバーは123456789018です。' };
const APP_RUN = { inputs: { text: '本日は晴天なり。会議は十時から始まる。資料は前日に配布した。', length: 'short', style: 'bullets' }, model: 'up', confidentiality: 1 };

describe.each([
  ['/v1/chat/completions', CHAT, 1],
  ['/v1/responses', RESPONSES, 2],
  ['/v1/embeddings', EMBEDDINGS, 3],
  ['/api/search', SEARCH, 4],
  ['/api/ask', ASK, 5],
  ['/api/apps/summarise/run', APP_RUN, 6],
  ['/api/apps/test', APP_TEST, 7],
  ['/api/apps', APP_SAVE, 8],
  ['/api/guard/scan', GUARD_SCAN, 9],
] as const)('generated bad input on %s', (route, valid, seed) => {
  it('answers every body with a success or a 4xx that says what is wrong — never a 5xx — and stays up', () => sendMutated(gw, route, valid, seed, 300), 60_000);
});

describe('generated bad input on review decisions', () => {
  it.each(['approve', 'reject'] as const)('POST /api/review/:id/%s: never a 5xx, and a bad id is a 4xx too', async (verb) => {
    // Items held for review, one per decision that may succeed.
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await call(gw, '/v1/chat/completions', { key: KEYS.staff, body: { model: 'up', messages: [{ role: 'user', content: `確認が必要な回答 ${verb} ${i}` }], hiraga: { review: true } } });
      expect(r.status).toBe(200);
      ids.push(r.json.hiraga.review.id);
    }
    for (const bad of ['0', '-1', 'abc', '1e9', '99999999', '1.5', '%00']) {
      const r = await call(gw, `/api/review/${bad}/${verb}`, { key: KEYS.reviewer, body: { reason: 'x' } });
      expect(r.status, `${bad} → ${r.text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
    }
    await sendMutated(gw, `/api/review/${ids[0]}/${verb}`, { reason: '内容を確認しました', editedText: '修正後の本文' }, verb === 'approve' ? 111 : 112, 150, KEYS.reviewer);
  }, 60_000);
});

const DB_URL = process.env.HIRAGA_TEST_DATABASE_URL;

describe.each([
  ['SQLite', false],
  ['PostgreSQL', true],
] as const)('generated bad query strings on the read routes (%s)', (_name, onPostgres) => {
  const VALUES = ['', 'x', '0', '-1', '1.5', '1e9', 'NaN', 'Infinity', '2025-13-45', '2025-04-01', '2025-04-01T00:00:00+09:00', '9999-12-31', '0001-01-01', '275760-09-13', "' OR 1=1 --", '\u0000', '%', 'あ'.repeat(300), '__proto__', 'tenant', 'day', 'all', 'pending', '*'];
  const ROUTES: Array<[string, string[], string]> = [
    ['/api/audit', ['from', 'to', 'action', 'limit', 'user', 'cursor'], KEYS.auditor],
    ['/api/usage', ['groupBy', 'from', 'to', 'bucket'], KEYS.admin],
    ['/api/budget', ['tenant'], KEYS.admin],
    ['/api/review', ['status', 'limit'], KEYS.reviewer],
    ['/api/collections', ['limit'], KEYS.staff],
    ['/v1/models', ['limit'], KEYS.staff],
  ];
  let target: RunningGateway;
  let db: Awaited<ReturnType<typeof freshPostgresDatabase>> | undefined;
  beforeAll(async () => {
    if (!onPostgres) {
      target = gw;
      return;
    }
    if (!DB_URL) throw new Error('the PostgreSQL case needs HIRAGA_TEST_DATABASE_URL (a local PostgreSQL)');
    db = await freshPostgresDatabase(DB_URL, 'hiraga_badquery');
    target = await startTestGateway(testConfig({ database: db.url, models: upstreamModels(up.url), server: { rateLimitPerKey: 100_000, rateLimitPerTenant: 100_000 } }));
    // Rows for the reads to go through: a call audited and accounted.
    expect((await call(target, '/v1/chat/completions', { key: KEYS.staff, body: CHAT })).status).toBe(200);
  }, 60_000);
  afterAll(async () => {
    if (target && target !== gw) await target.close();
    await db?.drop();
  });

  it.each([
    ['/v1/chat/completions', CHAT, 101],
    ['/v1/responses', RESPONSES, 102],
  ] as const)('%s takes generated bad bodies too: never a 5xx (the audit and usage written on this store)', (route, valid, seed) => sendMutated(target, route, valid, seed, 150), 60_000);

  it('a NUL character (U+0000) anywhere in a body is a 400 naming where it is, before anything is stored or sent', async () => {
    const sent = up.requests.length;
    for (const [route, body, param] of [
      ['/v1/chat/completions', { model: 'up', messages: [{ role: 'user', content: '質問' }, { role: 'assistant', content: '回答' }, { role: 'user', content: 'a\u0000b' }] }, 'messages[2].content'],
      ['/v1/responses', { model: 'up', input: [{ role: 'user', content: [{ type: 'input_text', text: '\u0000' }] }] }, 'input[0].content[0].text'],
      ['/api/search', { collection: 'laws', query: '第一条\u0000' }, 'query'],
      ['/api/ask', { collection: 'laws\u0000', question: '目的は' }, 'collection'],
    ] as const) {
      const r = await call(target, route, { key: KEYS.staff, body });
      expect(r.status, `${route} ${r.text}`).toBe(400);
      expect(r.json.error).toMatchObject({ type: 'invalid_request_error', param });
      expect(r.json.error.message).toContain(`${param} contains the NUL character (U+0000)`);
    }
    expect(up.requests.length).toBe(sent);
    // The text \u0000 written out (an escaped backslash) is ordinary text.
    expect((await call(target, '/v1/chat/completions', { key: KEYS.staff, body: { model: 'up', messages: [{ role: 'user', content: 'C言語の \\u0000 とは' }] } })).status).toBe(200);
  });

  it.each(ROUTES)('%s answers a success or a 4xx with a message, never a 5xx', async (route, params, key) => {
    const next = rng(route.length * 7919);
    for (let i = 0; i < 150; i++) {
      const q = new URLSearchParams();
      for (const p of params) if (next() < 0.6) q.set(p, VALUES[Math.floor(next() * VALUES.length)]!);
      const r = await call(target, `${route}?${q}`, { key });
      const where = `${route}?${q} → ${r.status} ${r.text.slice(0, 300)}`;
      expect(r.status < 500, where).toBe(true);
      if (r.status >= 400) expect(typeof r.json?.error?.message, where).toBe('string');
    }
  });
});
