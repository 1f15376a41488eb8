/**
 * POST /v1/responses (OpenAI's Responses API) with the official openai client, unchanged: plain and streamed
 * (client.responses.stream and its final response), instructions and conversation items, function calling in
 * the Responses form, structured output, the cut answer reported as incomplete; the same governance as chat
 * completions (masking that shows in what leaves the process, policy blocks, review, audit, usage, metrics);
 * the fields that would need stored responses refused with what to send instead.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../src/gateway/server.js';
import { runIngest } from '../../src/retrieval/service.js';
import { startUpstream, streamPieces, type Upstream } from '../helpers/upstream.js';
import { call, KEYS, startTestGateway, testConfig, upstreamModels, UPSTREAM_SECRET } from './helpers.js';

let up: Upstream;
let gw: RunningGateway;
let client: OpenAI;

const weather = { type: 'function' as const, name: 'get_weather', description: '市区町村の天気を調べる', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }, strict: false };

/** The chat completions bodies the upstream received since `from`: what actually left the process. */
const sentSince = (from: number) => up.requests.slice(from).filter((r) => r.path === '/v1/chat/completions').map((r) => r.body);

/** The raw SSE events of a streamed response: [type, data]. */
async function rawEvents(body: unknown, key: string = KEYS.staff): Promise<{ status: number; events: Array<[string, any]> }> {
  const res = await call(gw, '/v1/responses', { key, body: { stream: true, ...(body as object) } });
  const events = res.text
    .split('\n\n')
    .filter(Boolean)
    .map((block): [string, any] => {
      const type = /^event: (.+)$/m.exec(block)?.[1] ?? '';
      const data = /^data: (.+)$/m.exec(block)?.[1] ?? 'null';
      return [type, JSON.parse(data)];
    });
  return { status: res.status, events };
}

const STATUTE = path.resolve(import.meta.dirname, '../../samples/statutes/行政手続法.txt');

beforeAll(async () => {
  up = await startUpstream();
  gw = await startTestGateway(testConfig({ models: [...upstreamModels(up.url), { id: 'extractive', provider: 'extractive', clearance: 3, origin: 'domestic', hosting: 'on-prem' }] }));
  client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: KEYS.staff, maxRetries: 0 });
  // The tenant minato's collection "laws", for file_search.
  await runIngest(gw.services.config, gw.services.store, [STATUTE], { collection: 'laws', tenant: 'minato' });
}, 60_000);

afterAll(async () => {
  await gw?.close();
  await up?.close();
});

describe('the Responses API through the governed pipeline', () => {
  it('answers a plain request, with instructions as the system turn, usage and hiraga’s governance facts', async () => {
    const from = up.requests.length;
    const r = await client.responses.create({ model: 'up', instructions: '公用文で答えてください。', input: '港区の窓口の受付時間は？', metadata: { case: 'A-1' } });
    expect(r.object).toBe('response');
    expect(r.id).toMatch(/^resp_[A-Za-z0-9]+$/);
    expect(r.status).toBe('completed');
    expect(r.output_text).toBe('echo: 港区の窓口の受付時間は？');
    expect(r.output).toEqual([
      { id: expect.stringMatching(/^msg_/), type: 'message', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'echo: 港区の窓口の受付時間は？', annotations: [], logprobs: [] }] },
    ]);
    expect(r.usage).toMatchObject({ input_tokens: expect.any(Number), output_tokens: streamPieces('echo: 港区の窓口の受付時間は？').length });
    expect(r.usage!.total_tokens).toBe(r.usage!.input_tokens + r.usage!.output_tokens);
    expect(r.metadata).toEqual({ case: 'A-1' });
    expect(r.instructions).toBe('公用文で答えてください。');
    const h = (r as any).hiraga;
    expect(h.policy).toBe('allow');
    expect(h.audit_id).toBeGreaterThan(0);
    expect(h.model).toMatchObject({ id: 'up', origin: 'domestic' });
    expect(sentSince(from)[0].messages).toEqual([
      { role: 'system', content: '公用文で答えてください。' },
      { role: 'user', content: '港区の窓口の受付時間は？' },
    ]);
  });

  it('sends a conversation of items in order (developer as system, assistant turns, text parts joined)', async () => {
    const from = up.requests.length;
    const r = await client.responses.create({
      model: 'up',
      input: [
        { role: 'developer', content: '簡潔に。' },
        { role: 'user', content: [{ type: 'input_text', text: '住民票の' }, { type: 'input_text', text: '写しは？' }] },
        { type: 'message', role: 'assistant', id: 'msg_prev', status: 'completed', content: [{ type: 'output_text', text: '窓口で請求できます。', annotations: [] }] },
        { type: 'reasoning', id: 'rs_1', summary: [] },
        { role: 'user', content: '郵送では？' },
      ],
      max_output_tokens: 200,
      temperature: 0.2,
      top_p: 0.9,
    });
    expect(r.output_text).toBe('echo: 郵送では？');
    const sent = sentSince(from)[0];
    expect(sent.messages).toEqual([
      { role: 'system', content: '簡潔に。' },
      { role: 'user', content: '住民票の\n写しは？' },
      { role: 'assistant', content: '窓口で請求できます。' },
      { role: 'user', content: '郵送では？' },
    ]);
    expect(sent).toMatchObject({ max_tokens: 200, temperature: 0.2, top_p: 0.9 });
  });

  it('streams with client.responses.stream: events in protocol order, numbered, and the final response', async () => {
    const stream = client.responses.stream({ model: 'up', input: '戸籍謄本の請求方法を教えてください' });
    const types: string[] = [];
    const seqs: number[] = [];
    let text = '';
    for await (const e of stream) {
      types.push(e.type);
      seqs.push(e.sequence_number);
      if (e.type === 'response.output_text.delta') text += e.delta;
    }
    const final = await stream.finalResponse();
    expect(text).toBe('echo: 戸籍謄本の請求方法を教えてください');
    expect(final.output_text).toBe(text);
    expect(final.status).toBe('completed');
    expect((final as any).hiraga.audit_id).toBeGreaterThan(0);
    expect(seqs).toEqual(seqs.map((_, i) => i));
    const deltas = types.filter((t) => t === 'response.output_text.delta').length;
    expect(deltas).toBeGreaterThan(1);
    expect(types).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      ...Array(deltas).fill('response.output_text.delta'),
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
  });

  it('masks personal data before it reaches a model without clearance, and restores it for the caller (plain and streamed)', async () => {
    const from = up.requests.length;
    const r = await client.responses.create({ model: 'foreign', input: '電話番号 090-1234-5678 に折り返してください' });
    expect(r.output_text).toContain('090-1234-5678');
    expect((r as any).hiraga.policy).toBe('mask');
    const stream = client.responses.stream({ model: 'foreign', input: [{ role: 'user', content: '090-8765-4321 へ連絡' }] });
    const final = await stream.finalResponse();
    expect(final.output_text).toContain('090-8765-4321');
    const sent = JSON.stringify(sentSince(from));
    expect(sent).not.toContain('090-1234-5678');
    expect(sent).not.toContain('090-8765-4321');
  });

  it('blocks level-3 content for a model cleared for 1 with the policy code, before any event and with nothing sent', async () => {
    const from = up.requests.length;
    const err = await client.responses.create({ model: 'foreign', input: '【極秘】この文書を要約して', hiraga: { confidentiality: 3 } } as any).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(err.status).toBe(403);
    expect(err.code).toBe('confidentiality_exceeds_clearance');
    const streamed = await rawEvents({ model: 'foreign', input: '【極秘】この文書を要約して', hiraga: { confidentiality: 3 } });
    expect(streamed.status).toBe(403);
    expect(up.requests.length).toBe(from);
  });

  it('writes the call to the audit trail and the usage ledger, and counts it in /metrics under its route', async () => {
    const r = await client.responses.create({ model: 'up', input: '監査の確認' });
    const auditId = (r as any).hiraga.audit_id;
    const audit = await call(gw, '/api/audit?limit=50', { key: KEYS.auditor });
    expect(audit.json.events.some((e: { id: number }) => e.id === auditId)).toBe(true);
    const usage = await call(gw, '/api/usage?groupBy=user&bucket=all', { key: KEYS.admin });
    expect(usage.status).toBe(200);
    expect(JSON.stringify(usage.json)).toContain('staff1');
    const metrics = await call(gw, '/metrics');
    expect(metrics.text).toMatch(/hiraga_http_requests_total\{route="\/v1\/responses",method="POST",status="200"\} [1-9]/);
  });

  it('holds the answer for review and says so in the stream, as the text the caller gets', async () => {
    const r = await rawEvents({ model: 'up', input: '審査が必要な回答', hiraga: { review: true } });
    expect(r.status).toBe(200);
    const types = r.events.map(([t]) => t);
    const completed = r.events.find(([t]) => t === 'response.completed')![1].response;
    expect(completed.hiraga.review).toMatchObject({ status: 'pending' });
    const deltas = r.events.filter(([t]) => t === 'response.output_text.delta').map(([, d]) => d.delta).join('');
    expect(deltas).toBe(completed.output[0].content[0].text);
    expect(deltas).toContain('確認待ち');
    expect(deltas).not.toContain('echo:');
    expect(types.at(-1)).toBe('response.completed');
  });

  it('reports an answer cut by max_output_tokens as incomplete, plain and streamed', async () => {
    up.script({ content: '途中で切れた回', finishReason: 'length' });
    const r = await client.responses.create({ model: 'up', input: '長い説明', max_output_tokens: 5 });
    expect(r.status).toBe('incomplete');
    expect(r.incomplete_details).toEqual({ reason: 'max_output_tokens' });
    up.script({ content: '途中で切れた回', finishReason: 'length' });
    const s = await rawEvents({ model: 'up', input: '長い説明', max_output_tokens: 5 });
    const last = s.events.at(-1)!;
    expect(last[0]).toBe('response.incomplete');
    expect(last[1].response.incomplete_details).toEqual({ reason: 'max_output_tokens' });
  });

  it('ends a stream the upstream cuts with response.failed, without the upstream key', async () => {
    up.script('cut-stream');
    const s = await rawEvents({ model: 'up', input: '途中で切れる' });
    expect(s.status).toBe(200);
    const last = s.events.at(-1)!;
    expect(last[0]).toBe('response.failed');
    expect(last[1].response.status).toBe('failed');
    expect(last[1].response.error.code).toEqual(expect.any(String));
    expect(last[1].response.error.message).not.toContain(UPSTREAM_SECRET);
    expect(s.events.some(([t]) => t === 'response.completed')).toBe(false);
  });
});

describe('function calling and structured output in the Responses form', () => {
  it('offers flat function tools as chat tools and returns the model’s calls as function_call items', async () => {
    const from = up.requests.length;
    up.script({ toolCalls: [{ name: 'get_weather', arguments: '{"city":"港区"}', id: 'call_abc' }] });
    const r = await client.responses.create({ model: 'up', input: '港区の天気は？', tools: [weather], tool_choice: { type: 'function', name: 'get_weather' }, parallel_tool_calls: false });
    expect(r.output).toEqual([{ id: expect.stringMatching(/^fc_/), type: 'function_call', status: 'completed', call_id: 'call_abc', name: 'get_weather', arguments: '{"city":"港区"}' }]);
    expect(r.output_text).toBe('');
    expect(sentSince(from)[0]).toMatchObject({
      tools: [{ type: 'function', function: { name: 'get_weather', description: '市区町村の天気を調べる', parameters: weather.parameters, strict: false } }],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      parallel_tool_calls: false,
    });
  });

  it('sends function_call and function_call_output items back as the assistant’s tool calls and a tool turn', async () => {
    const from = up.requests.length;
    const r = await client.responses.create({
      model: 'up',
      tools: [weather],
      input: [
        { role: 'user', content: '港区の天気は？' },
        { type: 'function_call', call_id: 'call_abc', name: 'get_weather', arguments: '{"city":"港区"}' },
        { type: 'function_call_output', call_id: 'call_abc', output: '晴れ、最高気温18度' },
        { role: 'user', content: 'では傘は要りますか' },
        { role: 'assistant', content: '明日の予報も調べます。' },
        { type: 'function_call', call_id: 'call_d1', name: 'get_weather', arguments: '{"city":"港区","day":1}' },
        { type: 'function_call', call_id: 'call_d2', name: 'get_weather', arguments: '{"city":"港区","day":2}' },
        { type: 'function_call_output', call_id: 'call_d1', output: [{ type: 'input_text', text: '曇り' }] },
        { type: 'function_call_output', call_id: 'call_d2', output: '雨' },
        { role: 'user', content: 'まとめてください' },
      ],
    });
    expect(r.output_text).toBe('echo: まとめてください');
    const call = (id: string, args: string) => ({ id, type: 'function', function: { name: 'get_weather', arguments: args } });
    expect(sentSince(from)[0].messages).toEqual([
      { role: 'user', content: '港区の天気は？' },
      // The model gets opaque call ids (call00001…), the same for a call and its output.
      { role: 'assistant', content: null, tool_calls: [call('call00001', '{"city":"港区"}')] },
      { role: 'tool', content: '晴れ、最高気温18度', tool_call_id: 'call00001' },
      { role: 'user', content: 'では傘は要りますか' },
      // The assistant's text and the calls after it are one turn, as chat completions has them.
      { role: 'assistant', content: '明日の予報も調べます。', tool_calls: [call('call00002', '{"city":"港区","day":1}'), call('call00003', '{"city":"港区","day":2}')] },
      { role: 'tool', content: '曇り', tool_call_id: 'call00002' },
      { role: 'tool', content: '雨', tool_call_id: 'call00003' },
      { role: 'user', content: 'まとめてください' },
    ]);
  });

  it('streams function calls as items the client’s ResponseStream assembles, after the text', async () => {
    up.script({ toolCalls: [{ name: 'get_weather', arguments: '{"city":"新宿区"}', id: 'call_1' }, { name: 'get_weather', arguments: '{"city":"港区"}', id: 'call_2' }], content: '調べます' });
    const stream = client.responses.stream({ model: 'up', input: '新宿区と港区の天気', tools: [weather] });
    const argDeltas: string[] = [];
    stream.on('response.function_call_arguments.delta', (e) => argDeltas.push(e.delta));
    const final = await stream.finalResponse();
    expect(final.output.map((o) => o.type)).toEqual(['message', 'function_call', 'function_call']);
    expect(final.output_text).toBe('調べます');
    expect(final.output.slice(1)).toMatchObject([
      { call_id: 'call_1', name: 'get_weather', arguments: '{"city":"新宿区"}', status: 'completed' },
      { call_id: 'call_2', name: 'get_weather', arguments: '{"city":"港区"}', status: 'completed' },
    ]);
    expect(argDeltas).toEqual(['{"city":"新宿区"}', '{"city":"港区"}']);
  });

  it('asks for JSON with text.format json_schema and returns the model’s JSON as the text', async () => {
    const from = up.requests.length;
    up.script({ content: '{"office":"港区役所","open":"8:30"}' });
    const schema = { type: 'object', properties: { office: { type: 'string' }, open: { type: 'string' } }, required: ['office', 'open'], additionalProperties: false };
    const r = await client.responses.create({ model: 'up', input: '窓口情報をJSONで', text: { format: { type: 'json_schema', name: 'office_hours', schema, strict: true } } });
    expect(JSON.parse(r.output_text)).toEqual({ office: '港区役所', open: '8:30' });
    expect(r.text?.format).toMatchObject({ type: 'json_schema', name: 'office_hours' });
    expect(sentSince(from)[0].response_format).toEqual({ type: 'json_schema', json_schema: { name: 'office_hours', schema, strict: true } });
  });
});

describe('file_search over the caller’s own collections (資料QA in the Responses form)', () => {
  const fileSearch = { type: 'file_search' as const, vector_store_ids: ['laws'] };

  it('searches the collection, answers offline from it with the extractive model, and cites it as file_citation annotations', async () => {
    const r = await client.responses.create({ model: 'extractive', input: '行政手続法の目的は何ですか', tools: [fileSearch], include: ['file_search_call.results'] });
    expect(r.output.map((o) => o.type)).toEqual(['file_search_call', 'message']);
    const call = r.output[0] as OpenAI.Responses.ResponseFileSearchToolCall;
    expect(call).toMatchObject({ status: 'completed', queries: ['行政手続法の目的は何ですか'] });
    expect(call.results!.length).toBeGreaterThan(0);
    expect(call.results![0]).toMatchObject({ file_id: 'laws/行政手続法.txt', filename: '行政手続法.txt', attributes: { collection: 'laws' } });
    expect(call.results![0]!.text).toContain('第一条');
    const text = r.output_text;
    expect(text).toContain('公正の確保と透明性');
    const content = (r.output[1] as OpenAI.Responses.ResponseOutputMessage).content[0] as OpenAI.Responses.ResponseOutputText;
    expect(content.annotations.length).toBeGreaterThan(0);
    expect(content.annotations[0]).toEqual({ type: 'file_citation', file_id: 'laws/行政手続法.txt', filename: '行政手続法.txt', index: text.indexOf('[1]') });
    expect(text.indexOf('[1]')).toBeGreaterThan(0);
    expect((r as any).hiraga.citations[0]).toMatchObject({ source: '行政手続法.txt' });
    // Without include, the search is reported without its results.
    const plain = await client.responses.create({ model: 'extractive', input: '行政手続法の目的は何ですか', tools: [fileSearch] });
    expect((plain.output[0] as OpenAI.Responses.ResponseFileSearchToolCall).results ?? null).toBeNull();
  });

  it('gives a generative model the passages (what leaves the process), and streams the search, the text and its citations', async () => {
    const from = up.requests.length;
    up.script({ content: '行政手続法は、行政運営における公正の確保と透明性の向上を目的とします[1]。' });
    const stream = client.responses.stream({ model: 'up', input: '行政手続法の目的は？', tools: [fileSearch] });
    const types: string[] = [];
    for await (const e of stream) types.push(e.type);
    const final = await stream.finalResponse();
    expect(types.slice(0, 7)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.file_search_call.in_progress',
      'response.file_search_call.searching',
      'response.file_search_call.completed',
      'response.output_item.done',
    ]);
    expect(types).toContain('response.output_text.annotation.added');
    expect(final.output.map((o) => o.type)).toEqual(['file_search_call', 'message']);
    const content = (final.output[1] as OpenAI.Responses.ResponseOutputMessage).content[0] as OpenAI.Responses.ResponseOutputText;
    expect(content.annotations).toEqual([{ type: 'file_citation', file_id: 'laws/行政手続法.txt', filename: '行政手続法.txt', index: final.output_text.indexOf('[1]') }]);
    const sent = JSON.stringify(sentSince(from)[0].messages);
    expect(sent).toContain('第一条');
  });

  it('takes an earlier response’s output back as input (what stateless clients send) and searches again for the new turn', async () => {
    const first = await client.responses.create({ model: 'extractive', input: '行政手続法の目的は何ですか', tools: [fileSearch] });
    const from = up.requests.length;
    const second = await client.responses.create({
      model: 'up',
      tools: [fileSearch],
      include: ['file_search_call.results'],
      input: [{ role: 'user', content: '行政手続法の目的は何ですか' }, ...(first.output as OpenAI.Responses.ResponseInputItem[]), { role: 'user', content: '審査基準について定めた条文は？' }],
    });
    expect(second.status).toBe('completed');
    const call = second.output[0] as OpenAI.Responses.ResponseFileSearchToolCall;
    expect(call.queries).toEqual(['審査基準について定めた条文は？']);
    expect(call.results!.map((x) => x.text).join('')).toContain('審査基準');
    const sent = sentSince(from)[0].messages;
    expect(sent.filter((m: { role: string }) => m.role === 'assistant')).toEqual([{ role: 'assistant', content: first.output_text }]);
  });

  it('masks personal data in the passages before they reach a model without clearance', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hiraga-contacts-'));
    fs.writeFileSync(path.join(dir, '窓口一覧.txt'), '第一条 住民票の担当は市民課の山田です。連絡先は090-1111-2222です。\n第二条 税の担当は税務課です。');
    await runIngest(gw.services.config, gw.services.store, [dir], { collection: 'contacts', tenant: 'minato' });
    const from = up.requests.length;
    const r = await client.responses.create({ model: 'foreign', input: '住民票の担当の連絡先は？', tools: [{ type: 'file_search', vector_store_ids: ['contacts'] }] });
    expect(r.status).toBe('completed');
    expect((r as any).hiraga.policy).toBe('mask');
    const sent = JSON.stringify(sentSince(from));
    expect(sent).toContain('市民課');
    expect(sent).not.toContain('090-1111-2222');
  });

  it('keeps to the caller’s tenant, and honours tool_choice none and the limits of the tool', async () => {
    const other = await call(gw, '/v1/responses', { key: KEYS.other, body: { model: 'up', input: '目的は？', tools: [fileSearch] } });
    expect(other.status).toBe(404);
    const unknown = await call(gw, '/v1/responses', { key: KEYS.staff, body: { model: 'up', input: '目的は？', tools: [{ type: 'file_search', vector_store_ids: ['vs_abc'] }] } });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.message).toContain('vs_abc');
    const from = up.requests.length;
    const none = await client.responses.create({ model: 'up', input: '行政手続法の目的は？', tools: [fileSearch], tool_choice: 'none' });
    expect(none.output.map((o) => o.type)).toEqual(['message']);
    expect(JSON.stringify(sentSince(from)[0].messages)).not.toContain('第一条');
    const filters = await call(gw, '/v1/responses', { key: KEYS.staff, body: { model: 'up', input: 'x', tools: [{ ...fileSearch, filters: { type: 'eq', key: 'a', value: 1 } }] } });
    expect(filters.status).toBe(400);
    expect(filters.json.error.param).toBe('tools[0].filters');
    const two = await call(gw, '/v1/responses', { key: KEYS.staff, body: { model: 'up', input: 'x', tools: [fileSearch, fileSearch] } });
    expect(two.status).toBe(400);
    const choice = await call(gw, '/v1/responses', { key: KEYS.staff, body: { model: 'up', input: 'x', tools: [weather], tool_choice: { type: 'file_search' } } });
    expect(choice.status).toBe(400);
    expect(choice.json.error.message).toContain('no file_search tool');
  });
});

describe('/api/ask, which file_search shares its retrieval with', () => {
  it('ends a 資料QA stream the upstream cuts with an error event, counted in hiraga_errors_total', async () => {
    const count = async () => Number(/hiraga_errors_total\{code="connection_lost"\} (\d+)/.exec((await call(gw, '/metrics')).text)?.[1] ?? 0);
    const before = await count();
    up.script('cut-stream');
    const r = await call(gw, '/api/ask', { key: KEYS.staff, body: { collection: 'laws', question: '行政手続法の目的は？', model: 'up', stream: true } });
    expect(r.status).toBe(200);
    const last = r.text.split('\n\n').filter(Boolean).at(-1)!;
    expect(last).toMatch(/^event: error\n/);
    expect(last).not.toContain(UPSTREAM_SECRET);
    expect(await count()).toBe(before + 1);
  });
});

describe('what the Responses API cannot do here, refused with what to send instead', () => {
  const post = (body: unknown, key: string = KEYS.staff) => call(gw, '/v1/responses', { key, body });

  it('refuses previous_response_id and item references: hiraga keeps no responses', async () => {
    const a = await post({ model: 'up', input: '続き', previous_response_id: 'resp_123' });
    expect(a.status).toBe(400);
    expect(a.json.error.param).toBe('previous_response_id');
    expect(a.json.error.message).toContain('send the whole conversation in input');
    const b = await post({ model: 'up', input: [{ type: 'item_reference', id: 'msg_1' }] });
    expect(b.status).toBe(400);
    expect(b.json.error).toMatchObject({ code: 'unsupported_parameter', param: 'input[0]' });
    const get = await call(gw, '/v1/responses/resp_123', { key: KEYS.staff });
    expect(get.status).toBe(404);
    expect(get.json.error.code).toBe('response_not_stored');
  });

  it('refuses hosted tools, non-text parts and malformed items, naming where', async () => {
    const tool = await post({ model: 'up', input: '検索して', tools: [{ type: 'web_search' }] });
    expect(tool.status).toBe(400);
    expect(tool.json.error).toMatchObject({ code: 'unsupported_parameter', param: 'tools[0].type' });
    const image = await post({ model: 'up', input: [{ role: 'user', content: [{ type: 'input_image', image_url: 'https://example.com/a.png' }] }] });
    expect(image.status).toBe(400);
    expect(image.json.error.param).toBe('input[0].content[0]');
    const call1 = await post({ model: 'up', input: [{ type: 'function_call_output', output: 'x' }] });
    expect(call1.status).toBe(400);
    expect(call1.json.error.param).toBe('input[0].call_id');
    const badName = await post({ model: 'up', input: 'x', tools: [{ type: 'function', name: 'bad name!' }] });
    expect(badName.json.error.param).toBe('tools[0].name');
    const choice = await post({ model: 'up', input: 'x', tools: [weather], tool_choice: { type: 'function', name: 'other' } });
    expect(choice.status).toBe(400);
    expect(choice.json.error.param).toBe('tool_choice.name');
    const noType = await post({ model: 'up', input: [{ text: 'こんにちは' }] });
    expect(noType.status).toBe(400);
    expect(noType.json.error.message).toContain('neither type nor role');
    const onlySystem = await post({ model: 'up', instructions: '丁寧に', input: [{ role: 'system', content: 'x' }] });
    expect(onlySystem.status).toBe(400);
    expect(onlySystem.json.error.message).toContain('add a user message');
  });

  it('answers an unknown model 404, a missing key 401, and sends nothing', async () => {
    const from = up.requests.length;
    const unknown = await post({ model: 'nope', input: 'x' });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.code).toBe('model_not_found');
    const anon = await call(gw, '/v1/responses', { body: { model: 'up', input: 'x' } });
    expect(anon.status).toBe(401);
    expect(up.requests.length).toBe(from);
  });
});
