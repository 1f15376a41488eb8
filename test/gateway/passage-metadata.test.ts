/**
 * A passage's source (its file name) and heading reach the model in the grounding prompt (出典: source（heading）),
 * so they are guarded like its text (QA pass: a file named 山田太郎_マイナンバー123456789018.md with the heading
 * 担当 鈴木一郎 090-1234-5678 went raw to a clearance-1 model, and a file 高橋美咲_個人番号_987654321093.txt with a
 * harmless body was level 1, allowed). They count for the level, are masked in the same session as the text,
 * and the caller gets its citations with the original source names, headings and quotes. Checked on what the
 * local upstream received, through /api/ask and the Responses API's file_search.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../src/gateway/server.js';
import { runIngest } from '../../src/retrieval/service.js';
import { tempDir } from '../helpers/store.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';
import { call, KEYS, startTestGateway, testConfig, upstreamModels } from './helpers.js';

let up: Upstream;
let gw: RunningGateway;

const NAMED = '山田太郎_マイナンバー123456789018.md';
const HEADING = '担当 鈴木一郎 090-1234-5678';
const NUMBERED = '高橋美咲_個人番号_987654321093.txt';
const RAW = ['山田太郎', '123456789018', '鈴木一郎', '090-1234-5678', '高橋美咲', '987654321093'];

const sentSince = (from: number) => up.requests.slice(from).filter((r) => r.path === '/v1/chat/completions').map((r) => r.body);
const systemSent = (from: number): string => sentSince(from)[0].messages[0].content;

beforeAll(async () => {
  up = await startUpstream();
  // Level 3 (a My Number) is masked here rather than blocked, so what is sent can be checked.
  gw = await startTestGateway(testConfig({ models: upstreamModels(up.url), guard: { policy: { '3': 'mask' } } }));
  const dir = tempDir('hiraga-passages-');
  fs.writeFileSync(path.join(dir, NAMED), `# ${HEADING}\n\n窓口の受付時間は平日の午前九時から午後五時までです。\n`);
  fs.writeFileSync(path.join(dir, NUMBERED), '庁舎の駐輪場は東側入口の横にあります。\n');
  await runIngest(gw.services.config, gw.services.store, [path.join(dir, NAMED)], { collection: 'named', tenant: 'minato' });
  await runIngest(gw.services.config, gw.services.store, [path.join(dir, NUMBERED)], { collection: 'numbered', tenant: 'minato' });
}, 60_000);

afterAll(async () => {
  await gw?.close();
  await up?.close();
});

describe('passage source and heading', () => {
  it('are masked for a model not cleared for them, and the caller’s citations carry the originals, quotes restored', async () => {
    const ask = { collection: 'named', question: '窓口の受付時間は？', model: 'foreign', k: 1 };
    // First call: what the model gets (one masking session per request, numbered the same each time).
    let from = up.requests.length;
    const first = await call(gw, '/api/ask', { key: KEYS.staff, body: ask });
    expect(first.status, first.text).toBe(200);
    const system = systemSent(from);
    for (const raw of RAW.slice(0, 4)) expect(system).not.toContain(raw);
    const line = /\[1\] 出典: (.+)（(.+)）/.exec(system)!;
    expect(line, system).not.toBeNull();
    const [, maskedSource, maskedHeading] = line;
    expect(maskedSource).toMatch(/^〔氏名\d+〕_マイナンバー〔個人番号\d+〕\.md$/);
    const name = /〔氏名\d+〕/.exec(maskedHeading!)![0];
    expect(maskedHeading).toMatch(/^担当 〔氏名\d+〕 〔電話番号\d+〕$/);
    expect(first.json.confidentiality).toBe(3);

    // Second call: the model cites [1] with a placeholder in its sentence.
    from = up.requests.length;
    up.script({ content: `担当は${name}です[1]。` });
    const r = await call(gw, '/api/ask', { key: KEYS.staff, body: ask });
    expect(r.status, r.text).toBe(200);
    expect(systemSent(from)).toBe(system);
    expect(r.json.answer).toBe('担当は鈴木一郎です[1]。');
    expect(r.json.citations).toEqual([{ source: NAMED, chunk: expect.any(Number), heading: HEADING, quote: '担当は鈴木一郎です。' }]);
    // The audit event names the cited chunk as the model saw it: no raw file name outlives the content's retention.
    const { json } = await call(gw, '/api/audit?limit=50', { key: KEYS.auditor });
    const event = json.events.find((e: { id: number }) => e.id === r.json.auditId);
    expect(event.confidentiality).toBe(3);
    expect(event.content ?? null).toBeNull();
    expect(JSON.stringify(event)).not.toContain('山田太郎');
    expect(JSON.stringify(event)).not.toContain('123456789018');
  });

  it('count for the level: a My Number in a file name makes a harmless passage level 3, masked, never sent raw', async () => {
    const from = up.requests.length;
    const r = await call(gw, '/api/ask', { key: KEYS.staff, body: { collection: 'numbered', question: '駐輪場はどこですか', model: 'foreign', k: 1 } });
    expect(r.status, r.text).toBe(200);
    expect(r.json.confidentiality).toBe(3);
    const sent = JSON.stringify(sentSince(from)[0]);
    expect(sent).toContain('駐輪場は東側入口');
    for (const raw of RAW) expect(sent).not.toContain(raw);
  });

  it('are masked in the Responses API’s file_search too, and its annotations name the original file', async () => {
    let from = up.requests.length;
    const body = { model: 'foreign', input: '窓口の受付時間は？', tools: [{ type: 'file_search', vector_store_ids: ['named'], max_num_results: 1 }] };
    const first = await call(gw, '/v1/responses', { key: KEYS.staff, body });
    expect(first.status, first.text).toBe(200);
    for (const raw of RAW.slice(0, 4)) expect(JSON.stringify(sentSince(from)[0])).not.toContain(raw);
    from = up.requests.length;
    up.script({ content: '受付時間は平日の午前九時から午後五時までです[1]。' });
    const r = await call(gw, '/v1/responses', { key: KEYS.staff, body });
    expect(r.status, r.text).toBe(200);
    for (const raw of RAW.slice(0, 4)) expect(JSON.stringify(sentSince(from)[0])).not.toContain(raw);
    const message = r.json.output.find((o: { type: string }) => o.type === 'message');
    expect(message.content[0].annotations).toEqual([{ type: 'file_citation', file_id: `named/${NAMED}`, filename: NAMED, index: expect.any(Number) }]);
    expect(r.json.hiraga.confidentiality).toBe(3);
  });
});
