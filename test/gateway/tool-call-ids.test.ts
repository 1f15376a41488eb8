/**
 * Tool-call ids are the caller's text too (QA pass: `"id":"マイナンバー123456789018"` reached a clearance-1 model
 * verbatim and the call was level 1). The model never needs the caller's ids: the conversation it gets names
 * the calls call00001, call00002… (a tool_calls entry and the tool turn answering it alike), the ids count for the
 * confidentiality level, and the ids of calls the model makes go back to the caller as the model gave them.
 * Checked on what the local upstream received, through chat completions and the Responses API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../src/gateway/server.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';
import { call, KEYS, startTestGateway, testConfig, upstreamModels } from './helpers.js';

let up: Upstream;
let gw: RunningGateway;

const MY_NUMBER_ID = 'マイナンバー123456789018';
/** A level-2 id (a name and a phone number): masked for `foreign`, not blocked. */
const PHONE_ID = '担当鈴木一郎様_090-1234-5678';

const sentSince = (from: number) => up.requests.slice(from).filter((r) => r.path === '/v1/chat/completions').map((r) => r.body);
const weather = { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } };

beforeAll(async () => {
  up = await startUpstream();
  gw = await startTestGateway(testConfig({ models: upstreamModels(up.url) }));
}, 60_000);

afterAll(async () => {
  await gw?.close();
  await up?.close();
});

function chatWithIds(model: string, first: string, second = 'call_second') {
  return {
    model,
    tools: [weather],
    messages: [
      { role: 'user', content: '港区と新宿区の天気は？' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: first, type: 'function', function: { name: 'get_weather', arguments: '{"city":"港区"}' } },
          { id: second, type: 'function', function: { name: 'get_weather', arguments: '{"city":"新宿区"}' } },
        ],
      },
      { role: 'tool', tool_call_id: second, content: '曇り' },
      { role: 'tool', tool_call_id: first, content: '晴れ' },
      { role: 'user', content: '傘は要りますか' },
    ],
  };
}

describe('tool-call ids in chat completions', () => {
  it('sends opaque ids, consistent between a call and the tool turn answering it; the model’s new ids come back as it gave them', async () => {
    const from = up.requests.length;
    up.script({ toolCalls: [{ name: 'get_weather', arguments: '{"city":"渋谷区"}', id: 'call_from_model_7' }] });
    const r = await call(gw, '/v1/chat/completions', { key: KEYS.staff, body: chatWithIds('up', 'call_caller_A', 'call_caller_B') });
    expect(r.status, r.text).toBe(200);
    const sent = sentSince(from)[0];
    expect(sent.messages[1].tool_calls.map((t: { id: string }) => t.id)).toEqual(['call00001', 'call00002']);
    // Nine letters and digits: the only form vLLM's Mistral tokenizer accepts (others accept any string).
    for (const t of sent.messages[1].tool_calls as { id: string }[]) expect(t.id).toMatch(/^[A-Za-z0-9]{9}$/);
    expect(sent.messages[2]).toEqual({ role: 'tool', content: '曇り', tool_call_id: 'call00002' });
    expect(sent.messages[3]).toEqual({ role: 'tool', content: '晴れ', tool_call_id: 'call00001' });
    expect(JSON.stringify(sent)).not.toContain('call_caller');
    expect(r.json.choices[0].message.tool_calls[0].id).toBe('call_from_model_7');
  });

  it('counts a My Number in an id for the level: blocked for a clearance-1 model, nothing sent', async () => {
    const from = up.requests.length;
    const r = await call(gw, '/v1/chat/completions', { key: KEYS.staff, body: chatWithIds('foreign', MY_NUMBER_ID) });
    expect(r.status, r.text).toBe(403);
    expect(r.json.error.code).toBe('confidentiality_exceeds_clearance');
    expect(sentSince(from)).toEqual([]);
  });

  it('never sends an id holding personal data to a model not cleared for it, and reports the level the id gave the call', async () => {
    const from = up.requests.length;
    const r = await call(gw, '/v1/chat/completions', { key: KEYS.staff, body: chatWithIds('foreign', PHONE_ID) });
    expect(r.status, r.text).toBe(200);
    const sent = JSON.stringify(sentSince(from)[0]);
    expect(sent).not.toContain('090-1234-5678');
    expect(sent).not.toContain('鈴木');
    expect(sentSince(from)[0].messages[3].tool_call_id).toBe('call00001');
    expect(r.json.hiraga.confidentiality).toBe(2);
    expect(r.json.hiraga.policy).toBe('mask');
    // The audit event keeps the level the id gave the call (and so its content's retention).
    const { json } = await call(gw, '/api/audit?limit=20', { key: KEYS.auditor });
    const event = json.events.find((e: { id: number }) => e.id === r.json.hiraga.audit_id);
    expect(event.confidentiality).toBe(2);
    expect(event.findings).toMatchObject({ phone: 1 });
  });
});

describe('call ids in the Responses API', () => {
  const input = (callId: string) => [
    { role: 'user', content: '港区の天気は？' },
    { type: 'function_call', call_id: callId, name: 'get_weather', arguments: '{"city":"港区"}' },
    { type: 'function_call_output', call_id: callId, output: '晴れ' },
    { role: 'user', content: '傘は要りますか' },
  ];
  const tools = [{ type: 'function', name: 'get_weather', parameters: { type: 'object' } }];

  it('sends function_call and function_call_output with the same opaque id, never the caller’s', async () => {
    const from = up.requests.length;
    const r = await call(gw, '/v1/responses', { key: KEYS.staff, body: { model: 'foreign', tools, input: input(PHONE_ID) } });
    expect(r.status, r.text).toBe(200);
    const sent = sentSince(from)[0];
    expect(JSON.stringify(sent)).not.toContain('090-1234-5678');
    expect(sent.messages[1].tool_calls[0].id).toBe('call00001');
    expect(sent.messages[2].tool_call_id).toBe('call00001');
    expect(r.json.hiraga.confidentiality).toBe(2);
  });

  it('blocks a call_id holding a My Number for a clearance-1 model', async () => {
    const from = up.requests.length;
    const r = await call(gw, '/v1/responses', { key: KEYS.staff, body: { model: 'foreign', tools, input: input(MY_NUMBER_ID) } });
    expect(r.status, r.text).toBe(403);
    expect(sentSince(from)).toEqual([]);
  });
});
