/**
 * What a model server says back, carried to the official openai client as OpenAI would say it: a request the
 * server refuses is the caller's 400 (with the server's code and param, not retried, not held against the
 * model), an error event inside a stream names the error, a refusal is `message.refusal`, the output limit goes
 * out under the caller's name for it, and embeddings honour `dimensions` or say they cannot.
 */
import OpenAI from 'openai';
import { z } from 'zod';
import { zodResponseFormat } from 'openai/helpers/zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../src/gateway/server.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';
import { call, KEYS, startTestGateway, testConfig, upstreamModels, UPSTREAM_SECRET } from './helpers.js';

const CONTEXT_ERROR = { error: { message: "This model's maximum context length is 8192 tokens. However, you requested 9000 tokens.", type: 'invalid_request_error', code: 'context_length_exceeded', param: 'messages' } };

let up: Upstream;
let fixed: Upstream;
let gw: RunningGateway;
/** The client as applications use it: with its default retries. */
let client: OpenAI;

beforeAll(async () => {
  up = await startUpstream();
  fixed = await startUpstream({ ignoreDimensions: true });
  const models = [
    ...upstreamModels(up.url).map((m) => (m.id === 'up' ? Object.assign(m, { retries: 2 }) : m)),
    { id: 'reasoner', provider: 'openai-compatible', baseUrl: up.url, model: 'o-model', apiKey: UPSTREAM_SECRET, origin: 'domestic', hosting: 'on-prem', clearance: 3, retries: 0, maxTokensParam: 'max_completion_tokens' },
    // Nothing listens on port 1: every call to it fails to connect, and the fallback answers.
    { id: 'primary', provider: 'openai-compatible', baseUrl: 'http://127.0.0.1:1/v1', model: 'x', origin: 'domestic', hosting: 'on-prem', clearance: 3, retries: 0, fallback: ['up'] },
    { id: 'fixed-dim', provider: 'openai-compatible', baseUrl: fixed.url, model: 'upstream-model', origin: 'domestic', hosting: 'on-prem', clearance: 3, retries: 0, embeddingModel: 'upstream-model' },
  ];
  gw = await startTestGateway(testConfig({ models }));
  client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: KEYS.staff });
}, 60_000);

afterAll(async () => {
  await gw?.close();
  await up?.close();
  await fixed?.close();
});

const posted = (u: Upstream) => u.requests.filter((r) => r.method === 'POST');

describe('a request the model server refuses', () => {
  it('is the caller\'s 400 with the server\'s code and param: sent once, though both hiraga and the client retry 5xx', async () => {
    const before = posted(up).length;
    up.script([{ status: 400, body: CONTEXT_ERROR }]);
    const err = await client.chat.completions.create({ model: 'up', messages: [{ role: 'user', content: '長い文書の要約' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    const e = err as InstanceType<typeof OpenAI.BadRequestError>;
    expect(e.status).toBe(400);
    expect(e.code).toBe('context_length_exceeded');
    expect(e.param).toBe('messages');
    expect(e.message).toContain('maximum context length is 8192 tokens');
    expect(e.message).not.toContain(up.url);
    expect(posted(up).length - before).toBe(1);
  });

  it('is not held against the model: refusals of one caller never open the breaker for the others', async () => {
    up.script(Array.from({ length: 8 }, () => ({ status: 400, body: CONTEXT_ERROR })));
    for (let i = 0; i < 8; i++) {
      const r = await call(gw, '/v1/chat/completions', { key: KEYS.staff, body: { model: 'up', messages: [{ role: 'user', content: `長すぎる ${i}` }] } });
      expect(r.status).toBe(400);
    }
    const other = await client.withOptions({ apiKey: KEYS.staff2, maxRetries: 0 }).chat.completions.create({ model: 'up', messages: [{ role: 'user', content: '通常の質問' }] });
    expect(other.choices[0]!.message.content).toBe('echo: 通常の質問');
  });

  it('is a 400 before any event when streaming, and is audited as a failed call', async () => {
    up.script([{ status: 400, body: CONTEXT_ERROR }]);
    const err = await client.chat.completions.create({ model: 'up', stream: true, messages: [{ role: 'user', content: 'ストリームで長すぎる' }] }).catch((e: unknown) => e);
    expect((err as { status?: number }).status).toBe(400);
    const events = (await call(gw, '/api/audit?outcome=error&limit=1', { key: KEYS.auditor })).json.events;
    expect(events[0].detail).toMatchObject({ error: 'request_rejected', upstreamCode: 'context_length_exceeded' });
  });

  it('a model server refusing hiraga\'s own key is a 502 the client is told not to retry', async () => {
    const before = posted(up).length;
    up.script([{ status: 401, body: { error: { message: 'invalid api key' } } }]);
    const err = await client.chat.completions.create({ model: 'up', messages: [{ role: 'user', content: '鍵の確認' }] }).catch((e: unknown) => e);
    expect((err as { status?: number }).status).toBe(502);
    expect(posted(up).length - before).toBe(1);
    const raw = await call(gw, '/v1/chat/completions', { key: KEYS.staff, body: { model: 'up', messages: [{ role: 'user', content: 'x' }] } });
    expect(raw.status).toBe(200);
  });
});

describe('an error event inside a stream', () => {
  it('after some text: the stream ends with that error, not a lost connection', async () => {
    up.script([{ streamError: 'CUDA out of memory' }]);
    const stream = await client.chat.completions.create({ model: 'up', stream: true, messages: [{ role: 'user', content: '一 二 三 四 五 六' }] });
    let text = '';
    const err = await (async () => {
      for await (const ch of stream) text += ch.choices[0]?.delta?.content ?? '';
    })().catch((e: unknown) => e);
    expect(text.length).toBeGreaterThan(0);
    expect(String((err as Error).message)).toContain('CUDA out of memory');
    expect(String((err as Error).message)).not.toContain('no finish_reason');
  });

  it('before any text: a 502 naming it; an invalid-request error event is the caller\'s 400', async () => {
    up.script([{ streamError: 'CUDA out of memory', atStart: true }, { streamError: 'CUDA out of memory', atStart: true }, { streamError: 'CUDA out of memory', atStart: true }]);
    const r = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${KEYS.staff}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'up', stream: true, messages: [{ role: 'user', content: 'a b c' }] }) });
    expect(r.status).toBe(502);
    expect((await r.json()).error.message).toContain('CUDA out of memory');

    const before = posted(up).length;
    up.script([{ streamError: 'prompt is too long', atStart: true, errorType: 'invalid_request_error' }]);
    const bad = await call(gw, '/v1/chat/completions', { key: KEYS.staff, body: { model: 'up', stream: true, messages: [{ role: 'user', content: 'a b c' }] } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toContain('prompt is too long');
    expect(posted(up).length - before).toBe(1);
  });
});

describe('a model that declines', () => {
  it('answers with message.refusal and no content, plain and streamed', async () => {
    up.script([{ refusal: 'その依頼にはお応えできません。' }]);
    const r = await client.chat.completions.create({ model: 'up', messages: [{ role: 'user', content: '危険な依頼' }] });
    expect(r.choices[0]!.message.refusal).toBe('その依頼にはお応えできません。');
    expect(r.choices[0]!.message.content).toBeNull();

    up.script([{ refusal: 'お応えできません。' }]);
    const stream = client.chat.completions.stream({ model: 'up', messages: [{ role: 'user', content: '危険な依頼' }] });
    const final = await stream.finalChatCompletion();
    expect(final.choices[0]!.message.refusal).toBe('お応えできません。');
    expect(final.choices[0]!.message.content ?? '').toBe('');
  });

  it('parse() with a JSON schema reports the refusal instead of failing', async () => {
    up.script([{ refusal: '個人の住所は出力できません。' }]);
    const r = await client.chat.completions.parse({ model: 'up', messages: [{ role: 'user', content: '住所を抽出' }], response_format: zodResponseFormat(z.object({ address: z.string() }), 'addr') });
    expect(r.choices[0]!.message.refusal).toBe('個人の住所は出力できません。');
    expect(r.choices[0]!.message.parsed).toBeNull();
  });

  it('in the Responses API: a refusal part, plain and streamed', async () => {
    up.script([{ refusal: 'お応えできません。' }]);
    const r = await client.responses.create({ model: 'up', input: '危険な依頼' });
    expect((r.output[0] as any).content).toEqual([{ type: 'refusal', refusal: 'お応えできません。' }]);
    up.script([{ refusal: 'お応えできません。' }]);
    const types: string[] = [];
    const stream = client.responses.stream({ model: 'up', input: '危険な依頼' });
    stream.on('event', (e) => types.push(e.type));
    const done = await stream.finalResponse();
    expect((done.output[0] as any).content[0]).toMatchObject({ type: 'refusal', refusal: 'お応えできません。' });
    expect(types).toContain('response.refusal.done');
  });

  it('keeps an earlier refusal sent back as history, as an assistant part', async () => {
    const r = await call(gw, '/v1/chat/completions', {
      key: KEYS.staff,
      body: { model: 'up', messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: [{ type: 'refusal', refusal: 'できません' }] }, { role: 'user', content: 'では別の質問' }] },
    });
    expect(r.status).toBe(200);
    expect(up.requests.at(-1)!.body.messages[1]).toMatchObject({ role: 'assistant', content: 'できません' });
  });
});

describe('what goes to the model server', () => {
  it('the output limit under the caller\'s name for it, or the model\'s configured one', async () => {
    const last = () => up.requests.at(-1)!.body;
    await client.chat.completions.create({ model: 'up', messages: [{ role: 'user', content: 'a' }], max_completion_tokens: 5 });
    expect(last()).toMatchObject({ max_completion_tokens: 5 });
    expect(last().max_tokens).toBeUndefined();
    await client.chat.completions.create({ model: 'up', messages: [{ role: 'user', content: 'a' }], max_tokens: 6 });
    expect(last()).toMatchObject({ max_tokens: 6 });
    expect(last().max_completion_tokens).toBeUndefined();
    await client.chat.completions.create({ model: 'reasoner', messages: [{ role: 'user', content: 'a' }], max_tokens: 7 });
    expect(last()).toMatchObject({ max_completion_tokens: 7 });
    expect(last().max_tokens).toBeUndefined();
    await client.responses.create({ model: 'up', input: 'a', max_output_tokens: 20 });
    expect(last()).toMatchObject({ max_tokens: 20 });
    await client.responses.create({ model: 'reasoner', input: 'a', max_output_tokens: 21 });
    expect(last()).toMatchObject({ max_completion_tokens: 21 });
  });

  it('text parts joined by a line break, as vLLM joins them', async () => {
    await client.chat.completions.create({ model: 'up', messages: [{ role: 'user', content: [{ type: 'text', text: '第一の部分' }, { type: 'text', text: '第二の部分' }] }] });
    expect(up.requests.at(-1)!.body.messages[0].content).toBe('第一の部分\n第二の部分');
  });
});

describe('a fallback', () => {
  it('names the model that answered in every chunk of a stream, as the plain reply does', async () => {
    const plain = await client.chat.completions.create({ model: 'primary', messages: [{ role: 'user', content: '予備のモデル' }] });
    expect(plain.model).toBe('up');
    const stream = await client.chat.completions.create({ model: 'primary', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: '予備の モデルで 答える' }] });
    const models = new Set<string>();
    let text = '';
    for await (const ch of stream) {
      models.add(ch.model);
      text += ch.choices[0]?.delta?.content ?? '';
    }
    expect(text).toBe('echo: 予備の モデルで 答える');
    expect([...models]).toEqual(['up']);
  });
});

describe('embeddings', () => {
  it('dimensions goes to the model server; one that ignores it is a 400 naming the parameter', async () => {
    const r = await client.embeddings.create({ model: 'up', input: '会議室', dimensions: 8 });
    expect(r.data[0]!.embedding).toHaveLength(8);
    expect(up.requests.at(-1)!.body.dimensions).toBe(8);
    const err = await client.embeddings.create({ model: 'fixed-dim', input: '会議室', dimensions: 8 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('dimensions');
    expect((err as Error).message).toContain('returned 64 dimensions');
  });

  it('token ids are refused with the reason, naming input', async () => {
    for (const input of [[15339, 1917], [[15339, 1917]]]) {
      const r = await call(gw, '/v1/embeddings', { key: KEYS.staff, body: { model: 'up', input } });
      expect(r.status).toBe(400);
      expect(r.json.error.param).toBe('input');
      expect(r.json.error.message).toContain('token ids');
    }
  });
});
