/**
 * OpenAI generation parameters through the gateway: what reaches the model server (top_p, seed, penalties,
 * stop, response_format), which models may receive the output-changing ones (supported_parameters, 400
 * unsupported_parameter, fallbacks skipped), the guard over the text parameters carry, and the fields
 * hiraga refuses instead of ignoring (tools, logprobs).
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../src/gateway/server.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';
import { call, KEYS, startTestGateway, testConfig, upstreamModels } from './helpers.js';

let up: Upstream;
let gw: RunningGateway;
let client: OpenAI;

const schema = {
  name: 'application_form',
  description: '申請書の項目',
  schema: { type: 'object', properties: { 氏名: { type: 'string' }, 件名: { type: 'string' } }, required: ['件名'] },
  strict: true,
};

/** The chat bodies the model server received since `from`. */
const sentSince = (from: number) => up.requests.slice(from).filter((r) => r.path === '/v1/chat/completions').map((r) => r.body);

beforeAll(async () => {
  up = await startUpstream();
  const onUpstream = (id: string, extra: Record<string, unknown>) => ({ id, provider: 'openai-compatible', baseUrl: up.url, model: `${id}-model`, origin: 'domestic', hosting: 'on-prem', clearance: 3, retries: 0, ...extra });
  gw = await startTestGateway(
    testConfig({
      models: [
        ...upstreamModels(up.url),
        // A server that ignores response_format (say, an older vendor API): refused for it, skipped as a fallback.
        onUpstream('nojson', { responseFormat: false }),
        onUpstream('flaky', { fallback: ['nojson', 'json2'] }),
        onUpstream('json2', {}),
      ],
    }),
  );
  client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: KEYS.staff, maxRetries: 0 });
}, 60_000);

afterAll(async () => {
  await gw?.close();
  await up?.close();
});

describe('generation parameters reach the model server', () => {
  it('forwards top_p, seed, the penalties, stop and a JSON schema, as the official client sends them', async () => {
    const from = up.requests.length;
    const r = await client.chat.completions.create({
      model: 'up',
      messages: [{ role: 'user', content: '申請書の件名を JSON で' }],
      temperature: 0.2,
      top_p: 0.9,
      seed: 42,
      presence_penalty: 0.5,
      frequency_penalty: -0.5,
      stop: ['###', '終わり'],
      response_format: { type: 'json_schema', json_schema: schema },
    });
    expect(r.choices[0]!.message.content).toBe('echo: 申請書の件名を JSON で');
    const [sent] = sentSince(from);
    expect(sent).toMatchObject({
      model: 'upstream-model',
      temperature: 0.2,
      top_p: 0.9,
      seed: 42,
      presence_penalty: 0.5,
      frequency_penalty: -0.5,
      stop: ['###', '終わり'],
      response_format: { type: 'json_schema', json_schema: schema },
    });
  });

  it('forwards them on a stream too, and a single stop string as a list', async () => {
    const from = up.requests.length;
    const stream = await client.chat.completions.create({ model: 'up', stream: true, messages: [{ role: 'user', content: 'JSON で答えて' }], stop: 'END', response_format: { type: 'json_object' } });
    let text = '';
    for await (const ch of stream) text += ch.choices[0]?.delta?.content ?? '';
    expect(text).toBe('echo: JSON で答えて');
    const [sent] = sentSince(from);
    expect(sent).toMatchObject({ stream: true, stop: ['END'], response_format: { type: 'json_object' } });
  });

  it('sends nothing it was not given: response_format text is the default, and unset parameters stay unset', async () => {
    const from = up.requests.length;
    await client.chat.completions.create({ model: 'up', messages: [{ role: 'user', content: 'こんにちは' }], response_format: { type: 'text' }, user: 'someone@example.jp' });
    const [sent] = sentSince(from);
    expect(Object.keys(sent).sort()).toEqual(['messages', 'model']);
  });
});

describe('which models may receive stop and response_format', () => {
  it('lists each model’s supported_parameters', async () => {
    const page = await client.models.list();
    const params = (id: string) => (page.data.find((m) => m.id === id) as unknown as { supported_parameters: string[] }).supported_parameters;
    expect(params('up')).toEqual(expect.arrayContaining(['temperature', 'top_p', 'seed', 'presence_penalty', 'stop', 'response_format']));
    expect(params('nojson')).toContain('stop');
    expect(params('nojson')).not.toContain('response_format');
    expect(params('extractive')).toEqual([]);
  });

  it('refuses response_format and stop for a model that cannot honour them (400 unsupported_parameter), and sends nothing', async () => {
    const from = up.requests.length;
    for (const [model, extra, param] of [
      ['nojson', { response_format: { type: 'json_object' } }, 'response_format'],
      ['extractive', { response_format: { type: 'json_schema', json_schema: schema } }, 'response_format'],
      ['extractive', { stop: ['。'] }, 'stop'],
    ] as const) {
      const r = await call(gw, '/v1/chat/completions', { key: KEYS.staff, body: { model, messages: [{ role: 'user', content: '質問です' }], ...extra } });
      expect(r.status, `${model} ${param}`).toBe(400);
      expect(r.json.error).toMatchObject({ type: 'invalid_request_error', code: 'unsupported_parameter', param });
      expect(r.json.error.message).toContain(model);
    }
    expect(sentSince(from)).toEqual([]);
  });

  it('accepts sampling hints for a deterministic model, which ignores them', async () => {
    const r = await call(gw, '/v1/chat/completions', { key: KEYS.staff, body: { model: 'extractive', messages: [{ role: 'user', content: '質問です' }], top_p: 0.5, seed: 1, temperature: 0, reasoning_effort: 'high' } });
    expect(r.status).toBe(200);
  });

  it('forwards the reasoning effort (chat reasoning_effort, responses reasoning.effort) to a model server, and refuses an unknown one', async () => {
    const from = up.requests.length;
    await client.chat.completions.create({ model: 'up', messages: [{ role: 'user', content: 'よく考えて' }], reasoning_effort: 'low' });
    await client.responses.create({ model: 'up', input: 'よく考えて', reasoning: { effort: 'high' } });
    await client.chat.completions.create({ model: 'up', messages: [{ role: 'user', content: '普通に' }] });
    expect(up.requests.slice(from).map((q) => q.body.reasoning_effort)).toEqual(['low', 'high', undefined]);
    const bad = await call(gw, '/v1/chat/completions', { key: KEYS.staff, body: { model: 'up', messages: [{ role: 'user', content: 'x' }], reasoning_effort: 'max' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toContain('reasoning_effort: reasoning effort must be one of minimal, low, medium, high');
    const page = await client.models.list();
    expect((page.data.find((m) => m.id === 'up') as unknown as { supported_parameters: string[] }).supported_parameters).toContain('reasoning_effort');
  });

  it('skips a fallback that cannot honour response_format, and uses it when the request does not ask for JSON', async () => {
    let from = up.requests.length;
    up.script([{ status: 500 }]);
    const r = await client.chat.completions.create({ model: 'flaky', messages: [{ role: 'user', content: 'JSON で' }], response_format: { type: 'json_object' } });
    expect(r.choices[0]!.message.content).toBe('echo: JSON で');
    expect(sentSince(from).map((b) => b.model)).toEqual(['flaky-model', 'json2-model']);

    from = up.requests.length;
    up.script([{ status: 500 }]);
    await client.chat.completions.create({ model: 'flaky', messages: [{ role: 'user', content: 'ふつうに' }] });
    expect(sentSince(from).map((b) => b.model)).toEqual(['flaky-model', 'nojson-model']);
  });
});

describe('the guard reads what parameters carry', () => {
  it('blocks personal data in stop or a JSON schema for a model that would need it masked, and nothing leaves', async () => {
    const from = up.requests.length;
    for (const extra of [
      { stop: ['090-1234-5678'] },
      { response_format: { type: 'json_schema', json_schema: { name: 'x', description: '連絡先 090-1234-5678 の人', schema: { type: 'object' } } } },
    ]) {
      const r = await call(gw, '/v1/chat/completions', { key: KEYS.staff, body: { model: 'foreign', messages: [{ role: 'user', content: '要約して' }], ...extra } });
      expect(r.status).toBe(403);
      expect(r.json.error.code).toBe('confidentiality_exceeds_clearance');
      expect(r.json.error.message).toContain('stop');
    }
    expect(sentSince(from)).toEqual([]);
  });

  it('masks the messages as before when the parameters are clean, and sends the parameters as given', async () => {
    const from = up.requests.length;
    const r = await client.chat.completions.create({ model: 'foreign', messages: [{ role: 'user', content: '電話番号 090-1234-5678 に折り返して' }], stop: ['###'] });
    expect((r as unknown as { hiraga: { policy: string } }).hiraga.policy).toBe('mask');
    const [sent] = sentSince(from);
    expect(JSON.stringify(sent)).not.toContain('090-1234-5678');
    expect(sent.stop).toEqual(['###']);
  });

  it('sends personal data in parameters to a model cleared for it', async () => {
    const from = up.requests.length;
    const r = await call(gw, '/v1/chat/completions', { key: KEYS.staff, body: { model: 'up', messages: [{ role: 'user', content: '要約して' }], stop: ['090-1234-5678'] } });
    expect(r.status).toBe(200);
    expect(sentSince(from)[0].stop).toEqual(['090-1234-5678']);
  });
});

describe('fields hiraga cannot honour are refused, not ignored', () => {
  it.each([
    [{ tool_choice: 'auto' }, 'tool_choice'],
    [{ tool_choice: 'required' }, 'tool_choice'],
    [{ functions: [{ name: 'f', parameters: {} }] }, 'functions'],
    [{ function_call: 'auto' }, 'function_call'],
    [{ logprobs: true }, 'logprobs'],
    [{ top_logprobs: 3 }, 'top_logprobs'],
    [{ stop: ['a', 'b', 'c', 'd', 'e'] }, 'stop'],
    [{ stop: [''] }, 'stop'],
    [{ top_p: 1.5 }, 'top_p'],
    [{ response_format: { type: 'xml' } }, 'response_format'],
    [{ response_format: { type: 'json_schema', json_schema: { name: 'bad name!' } } }, 'response_format'],
  ])('%j → 400 naming %s', async (extra, param) => {
    const from = up.requests.length;
    const r = await call(gw, '/v1/chat/completions', { key: KEYS.staff, body: { model: 'up', messages: [{ role: 'user', content: 'x' }], ...extra } });
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe('invalid_request');
    expect(`${r.json.error.param} ${r.json.error.message}`).toContain(param);
    expect(sentSince(from)).toEqual([]);
  });

  it('accepts the same fields when they ask for nothing, and sends none of them', async () => {
    const from = up.requests.length;
    const r = await call(gw, '/v1/chat/completions', { key: KEYS.staff, body: { model: 'up', messages: [{ role: 'user', content: 'x' }], tool_choice: 'none', parallel_tool_calls: true, logprobs: false, top_logprobs: 0, tools: [] } });
    expect(r.status).toBe(200);
    expect(Object.keys(sentSince(from)[0]).sort()).toEqual(['messages', 'model']);
  });
});
