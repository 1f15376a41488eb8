/**
 * Function calling through the governed gateway, with the official openai client: tools offered, tool calls
 * returned (plain and streamed, whole), tool turns sent back; the guard over tool definitions, tool results
 * and call arguments in both directions; models that cannot do it refused or skipped; finish_reason kept.
 */
import { createHash } from 'node:crypto';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../src/gateway/server.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';
import { call, KEYS, startTestGateway, testConfig, upstreamModels } from './helpers.js';

let up: Upstream;
let gw: RunningGateway;
let client: OpenAI;

const weather: OpenAI.Chat.Completions.ChatCompletionTool = {
  type: 'function',
  function: { name: 'get_weather', description: '市区町村の天気を調べる', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
};

const sentSince = (from: number) => up.requests.slice(from).filter((r) => r.path === '/v1/chat/completions').map((r) => r.body);

beforeAll(async () => {
  up = await startUpstream();
  const onUpstream = (id: string, extra: Record<string, unknown>) => ({ id, provider: 'openai-compatible', baseUrl: up.url, model: `${id}-model`, origin: 'domestic', hosting: 'on-prem', clearance: 3, retries: 0, ...extra });
  gw = await startTestGateway(testConfig({ models: [...upstreamModels(up.url), onUpstream('notools', { tools: false }), onUpstream('flaky', { fallback: ['notools', 'tools2'] }), onUpstream('tools2', {})] }));
  client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: KEYS.staff, maxRetries: 0 });
}, 60_000);

afterAll(async () => {
  await gw?.close();
  await up?.close();
});

describe('function calling, plain and streamed', () => {
  it('offers the tools to the model and returns its tool calls as OpenAI does', async () => {
    const from = up.requests.length;
    up.script({ toolCalls: [{ name: 'get_weather', arguments: '{"city":"港区"}', id: 'call_abc' }] });
    const r = await client.chat.completions.create({ model: 'up', messages: [{ role: 'user', content: '港区の天気は？' }], tools: [weather], tool_choice: 'auto', parallel_tool_calls: false });
    const choice = r.choices[0]!;
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBeNull();
    expect(choice.message.tool_calls).toEqual([{ id: 'call_abc', type: 'function', function: { name: 'get_weather', arguments: '{"city":"港区"}' } }]);
    expect(sentSince(from)[0]).toMatchObject({ tools: [weather], tool_choice: 'auto', parallel_tool_calls: false });
  });

  it('keeps the offered tools in the audit event’s input and the tool calls in its output, both hashed', async () => {
    up.script({ toolCalls: [{ name: 'get_weather', arguments: '{"city":"新宿区"}', id: 'call_audit' }] });
    const r = await client.chat.completions.create({ model: 'up', messages: [{ role: 'user', content: '新宿区の天気' }], tools: [weather] });
    const auditId = (r as unknown as { hiraga: { audit_id: number } }).hiraga.audit_id;
    const { json } = await call(gw, '/api/audit?limit=20', { key: KEYS.auditor });
    const event = json.events.find((e: { id: number }) => e.id === auditId);
    expect(JSON.parse(event.content.input).generation.tools[0].name).toBe('get_weather');
    expect(JSON.parse(event.content.output).tool_calls).toEqual([{ id: 'call_audit', name: 'get_weather', arguments: '{"city":"新宿区"}' }]);
    expect(event.inputSha256).toBe(createHash('sha256').update(event.content.input).digest('hex'));
    expect(event.outputSha256).toBe(createHash('sha256').update(event.content.output).digest('hex'));
  });

  it('sends the tool turn back in OpenAI’s form and answers from it', async () => {
    const from = up.requests.length;
    const r = await client.chat.completions.create({
      model: 'up',
      tools: [weather],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      messages: [
        { role: 'user', content: '港区の天気は？' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_abc', type: 'function', function: { name: 'get_weather', arguments: '{"city":"港区"}' } }] },
        { role: 'tool', tool_call_id: 'call_abc', content: '晴れ、最高気温18度' },
        { role: 'user', content: 'では傘は要りますか' },
      ],
    });
    expect(r.choices[0]!.message.content).toBe('echo: では傘は要りますか');
    expect(r.choices[0]!.finish_reason).toBe('stop');
    const sent = sentSince(from)[0];
    expect(sent.tool_choice).toEqual({ type: 'function', function: { name: 'get_weather' } });
    // The model gets opaque ids (call00001…), the same for the call and the tool turn answering it.
    expect(sent.messages.slice(1, 3)).toEqual([
      { role: 'assistant', content: null, tool_calls: [{ id: 'call00001', type: 'function', function: { name: 'get_weather', arguments: '{"city":"港区"}' } }] },
      { role: 'tool', content: '晴れ、最高気温18度', tool_call_id: 'call00001' },
    ]);
  });

  it('streams tool calls that arrive in fragments as whole calls the client’s stream helper assembles', async () => {
    up.script({ toolCalls: [{ name: 'get_weather', arguments: '{"city":"千代田区"}' }, { name: 'get_weather', arguments: '{"city":"中央区"}', id: null }] });
    const stream = client.chat.completions.stream({ model: 'up', messages: [{ role: 'user', content: '二つの区の天気' }], tools: [weather], stream_options: { include_usage: true } });
    const final = await stream.finalChatCompletion();
    const calls = final.choices[0]!.message.tool_calls!;
    expect(final.choices[0]!.finish_reason).toBe('tool_calls');
    expect(calls.map((c) => c.type === 'function' && c.function.arguments)).toEqual(['{"city":"千代田区"}', '{"city":"中央区"}']);
    // The server left the second id out: the gateway gives it one, which the tool turn can name.
    expect(calls[1]!.id).toMatch(/^call_[0-9a-f]{24}$/);
    expect(final.usage?.total_tokens).toBeGreaterThan(0);
  });

  it('keeps finish_reason length when max_tokens cut the reply, plain and streamed', async () => {
    up.script([{ content: '途中で', finishReason: 'length' }, { content: '途中で', finishReason: 'length' }]);
    const r = await client.chat.completions.create({ model: 'up', max_tokens: 2, messages: [{ role: 'user', content: '長い説明' }] });
    expect(r.choices[0]!.finish_reason).toBe('length');
    const s = await client.chat.completions.create({ model: 'up', max_tokens: 2, stream: true, messages: [{ role: 'user', content: '長い説明' }] });
    let finish: string | null = null;
    for await (const ch of s) finish = ch.choices[0]?.finish_reason ?? finish;
    expect(finish).toBe('length');
  });
});

describe('the guard in function calling', () => {
  const phone = '090-1234-5678';

  it('masks personal data in tool results and call arguments for a model not cleared for it, and restores it in the calls it returns', async () => {
    // Learn the placeholder the gateway uses for the number (the same in every call: one per session, numbered).
    let from = up.requests.length;
    await client.chat.completions.create({ model: 'foreign', messages: [{ role: 'user', content: `電話 ${phone}` }] });
    const placeholder = (sentSince(from)[0].messages[0].content as string).replace('電話 ', '');
    expect(placeholder).not.toContain('090');

    from = up.requests.length;
    up.script({ toolCalls: [{ name: 'call_back', arguments: JSON.stringify({ number: placeholder }) }] });
    const r = await client.chat.completions.create({
      model: 'foreign',
      tools: [{ type: 'function', function: { name: 'call_back', parameters: { type: 'object' } } }],
      messages: [
        { role: 'user', content: '折り返しの電話をお願いします' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'lookup', arguments: JSON.stringify({ number: phone }) } }] },
        { role: 'tool', tool_call_id: 'c1', content: `登録番号は ${phone} です` },
      ],
    });
    const sent = JSON.stringify(sentSince(from)[0]);
    expect(sent).not.toContain(phone);
    expect(sent).toContain(placeholder);
    expect((r as unknown as { hiraga: { policy: string } }).hiraga.policy).toBe('mask');
    const args = r.choices[0]!.message.tool_calls![0]!;
    expect(args.type === 'function' && JSON.parse(args.function.arguments)).toEqual({ number: phone });
  });

  it('blocks personal data in a tool definition for such a model (definitions are not masked), and sends nothing', async () => {
    const from = up.requests.length;
    const r = await call(gw, '/v1/chat/completions', {
      key: KEYS.staff,
      body: { model: 'foreign', messages: [{ role: 'user', content: '連絡して' }], tools: [{ type: 'function', function: { name: 'notify', description: `担当 ${phone} に連絡する` } }] },
    });
    expect(r.status).toBe(403);
    expect(r.json.error.code).toBe('confidentiality_exceeds_clearance');
    expect(sentSince(from)).toEqual([]);
  });
});

describe('models without function calling', () => {
  it('refuses tools, and tool turns in the conversation, for such a model (400 unsupported_parameter)', async () => {
    const from = up.requests.length;
    const history = [
      { role: 'user', content: '天気は？' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: '晴れ' },
    ];
    for (const body of [
      { model: 'extractive', messages: [{ role: 'user', content: '天気は？' }], tools: [weather] },
      { model: 'notools', messages: [{ role: 'user', content: '天気は？' }], tools: [weather] },
      { model: 'notools', messages: history },
    ]) {
      const r = await call(gw, '/v1/chat/completions', { key: KEYS.staff, body });
      expect(r.status, body.model).toBe(400);
      expect(r.json.error).toMatchObject({ code: 'unsupported_parameter', param: 'tools' });
    }
    expect(sentSince(from)).toEqual([]);
  });

  it('skips such a fallback when the request offers tools', async () => {
    const from = up.requests.length;
    up.script([{ status: 500 }]);
    await client.chat.completions.create({ model: 'flaky', messages: [{ role: 'user', content: '天気は？' }], tools: [weather] });
    expect(sentSince(from).map((b) => b.model)).toEqual(['flaky-model', 'tools2-model']);
  });
});

describe('bad function-calling input', () => {
  it.each([
    [{ messages: [{ role: 'user', content: 'x' }, { role: 'tool', content: '晴れ' }] }, 'tool_call_id'],
    [{ messages: [{ role: 'user', content: 'x' }], tools: [weather], tool_choice: { type: 'function', function: { name: 'nope' } } }, 'nope'],
    [{ messages: [{ role: 'user', content: 'x' }], tool_choice: 'required' }, 'tool_choice'],
    [{ messages: [{ role: 'user', content: 'x' }], tools: [{ type: 'function', function: { name: 'has space' } }] }, 'tools'],
    [{ messages: [{ role: 'user', content: 'x' }], tools: [{ type: 'retrieval' }] }, 'tools'],
    [{ messages: [{ role: 'user', content: 'x' }, { role: 'function', name: 'f', content: '{}' }] }, 'role'],
  ])('%j → 400 naming %s', async (extra, what) => {
    const from = up.requests.length;
    const r = await call(gw, '/v1/chat/completions', { key: KEYS.staff, body: { model: 'up', ...extra } });
    expect(r.status).toBe(400);
    expect(`${r.json.error.param} ${r.json.error.message}`).toContain(what);
    expect(sentSince(from)).toEqual([]);
  });
});
