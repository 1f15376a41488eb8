import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HiragaError } from '../../src/core/errors.js';
import { createProvider } from '../../src/models/providers/index.js';
import { callModel, streamModel } from '../../src/models/resilience/call.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';
import { providerContract } from './provider-contract.js';
import { freePort, models, registryOf } from './setup.js';

let up: Upstream;
beforeAll(async () => {
  up = await startUpstream({ apiKey: 'sk-test' });
});
afterAll(() => up.close());
afterEach(() => {
  up.requests.length = 0;
});

const entry = (extra: Record<string, unknown> = {}) => ({
  id: 'up',
  provider: 'openai-compatible',
  baseUrl: up.url,
  model: 'upstream-model',
  apiKey: 'sk-test',
  origin: 'domestic',
  hosting: 'on-prem',
  clearance: 3,
  ...extra,
});
const ask = (content: string) => ({ messages: [{ role: 'user' as const, content }] });

async function failure(p: Promise<unknown>): Promise<HiragaError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(HiragaError);
  return e as HiragaError;
}

providerContract('openai-compatible', {
  provider: () => createProvider(models([entry()])[0]!, { env: {} }),
  request: ask('窓口の受付時間を教えてください'),
  embeddings: true,
});

describe('openai-compatible against the local upstream', () => {
  it('sends the configured model, messages, key and headers, and returns the reply with reported usage', async () => {
    const reg = registryOf([entry({ headers: { 'x-tenant': 'minato' } })]);
    const c = await callModel(reg, 'up', ask('こんにちは'));
    expect(c.result.content).toBe('echo: こんにちは');
    expect(c.usage.estimated).toBeUndefined();
    expect(c.usage.completion_tokens).toBeGreaterThan(0);
    const sent = up.requests.at(-1)!;
    expect(sent.body.model).toBe('upstream-model');
    expect(sent.body.messages).toEqual([{ role: 'user', content: 'こんにちは' }]);
    expect(sent.headers.authorization).toBe('Bearer sk-test');
    expect(sent.headers['x-tenant']).toBe('minato');
  });

  it('a reply larger than maxResponseBytes fails as malformed_response naming the limit, and the next call still works', async () => {
    const reg = registryOf([entry({ maxResponseBytes: 4096, retries: 0 })]);
    up.script({ content: '長い回答'.repeat(2000) });
    const err = await failure(callModel(reg, 'up', ask('長く')));
    expect(err.reason).toBe('malformed_response');
    expect(err.message).toMatch(/"up".*larger than 4096 bytes/);
    expect((await callModel(reg, 'up', ask('短く'))).result.content).toBe('echo: 短く');
  });

  it('a baseUrl query string (e.g. api-version) is kept on every request', async () => {
    const reg = registryOf([entry({ baseUrl: `${up.url}?api-version=2024-10-21` })]);
    expect((await callModel(reg, 'up', ask('版'))).result.content).toBe('echo: 版');
    expect(up.requests.at(-1)).toMatchObject({ path: '/v1/chat/completions', query: '?api-version=2024-10-21' });
  });

  it('streams text pieces and asks for usage in the last chunk', async () => {
    const reg = registryOf([entry()]);
    const pieces: string[] = [];
    let done;
    for await (const d of streamModel(reg, 'up', ask('長い 返事を ください お願いします'))) {
      if (d.type === 'text') pieces.push(d.text);
      else done = d.call;
    }
    expect(pieces.length).toBeGreaterThan(2);
    expect(pieces.join('')).toBe('echo: 長い 返事を ください お願いします');
    expect(done!.usage.estimated).toBeUndefined();
    expect(up.requests.at(-1)!.body.stream_options).toEqual({ include_usage: true });
  });

  it('after [DONE] reads the body to its end (keeping the connection) and cuts one held open past a grace period', async () => {
    const reg = registryOf([entry()]);
    const before = up.connections();
    const streamed = async (q: string) => {
      let text = '';
      for await (const d of streamModel(reg, 'up', ask(q))) if (d.type === 'text') text += d.text;
      return text;
    };
    for (let i = 0; i < 5; i++) {
      expect(await streamed(`続けて ${i}`)).toBe(`echo: 続けて ${i}`);
      await new Promise((r) => setImmediate(r));
    }
    // Every stream ended at its [DONE] without cutting the connection: the calls share one.
    expect(up.connections() - before).toBeLessThanOrEqual(1);
    // A server that keeps the body open after [DONE]: the call still returns at [DONE] (not after the
    // 1 s grace period), and the held body is cut in the background.
    up.script([{ holdAfterDoneMs: 30_000 }]);
    const t0 = Date.now();
    expect(await streamed('待って')).toBe('echo: 待って');
    expect(Date.now() - t0).toBeLessThan(800);
    expect(await streamed('次')).toBe('echo: 次');
  });

  it('reads the key from env:NAME, and a missing variable fails only this model, naming it', async () => {
    const ok = registryOf([entry({ apiKey: 'env:UP_KEY' })], { env: { UP_KEY: 'sk-test' } });
    expect((await callModel(ok, 'up', ask('a'))).result.content).toBe('echo: a');
    const missing = registryOf([entry({ apiKey: 'env:UP_KEY' })], { env: {} });
    const e = await failure(callModel(missing, 'up', ask('a')));
    expect(e.message).toContain('"up"');
    expect(e.message).toContain('UP_KEY');
  });

  it('retries a 429 after the Retry-After the server asked for, then succeeds', async () => {
    up.script([{ status: 429, retryAfter: 1 }, 'ok']);
    const reg = registryOf([entry()]);
    const c = await callModel(reg, 'up', ask('再試行'));
    expect(c.result.content).toBe('echo: 再試行');
    expect(up.requests).toHaveLength(2);
    expect(up.requests[1]!.at - up.requests[0]!.at).toBeGreaterThanOrEqual(950);
    expect(c.attempts.map((a) => a.ok)).toEqual([false, true]);
  });

  it('retries 5xx up to `retries` times, then fails with one upstream error naming the model and status', async () => {
    up.script([{ status: 500 }, { status: 502 }, { status: 503 }]);
    const reg = registryOf([entry({ retries: 2 })]);
    const e = await failure(callModel(reg, 'up', ask('x')));
    expect(up.requests).toHaveLength(3);
    expect(e.code).toBe('upstream');
    expect(e.reason).toBe('server_error');
    expect(e.message).toMatch(/^model "up": 503 server error/);
  });

  it('never retries other 4xx; a refused request is the caller\'s (bad_input, with the server\'s code and param)', async () => {
    up.script([{ status: 400, body: { error: { message: 'bad max_tokens', code: 'invalid_value', param: 'max_tokens' } } }]);
    const reg = registryOf([entry({ retries: 3 })]);
    const e = await failure(callModel(reg, 'up', ask('x')));
    expect(up.requests).toHaveLength(1);
    expect(e.reason).toBe('request_rejected');
    expect(e.code).toBe('bad_input');
    expect(e.details).toMatchObject({ status: 400, upstreamCode: 'invalid_value', param: 'max_tokens' });
    expect(e.message).toContain('bad max_tokens');
    up.script([{ status: 404, body: { error: { message: 'no such model' } } }]);
    const gone = await failure(callModel(reg, 'up', ask('x')));
    expect(up.requests).toHaveLength(2);
    expect(gone.reason).toBe('bad_request');
    expect(gone.code).toBe('upstream');
  });

  it('reports a wrong key as 401 unauthorised, without retrying', async () => {
    const reg = registryOf([entry({ apiKey: 'sk-wrong' })]);
    const e = await failure(callModel(reg, 'up', ask('x')));
    expect(up.requests).toHaveLength(1);
    expect(e.reason).toBe('unauthorized');
    expect(e.message).toMatch(/model "up": 401 unauthorized .*check apiKey/);
  });

  it('reports a malformed body, plain and streamed', async () => {
    const reg = registryOf([entry({ retries: 0 })]);
    up.script(['malformed']);
    const plain = await failure(callModel(reg, 'up', ask('x')));
    expect(plain.reason).toBe('malformed_response');
    expect(plain.message).toMatch(/^model "up": malformed response/);
    up.script(['malformed']);
    const streamed = await failure((async () => {
      for await (const _ of streamModel(reg, 'up', ask('x')));
    })());
    expect(streamed.message).toContain('model "up"');
    expect(['malformed_response', 'connection_lost']).toContain(streamed.reason);
  });

  it('ends a stream cut mid-way with an error after the text already received, and does not retry', async () => {
    up.script(['cut-stream']);
    const reg = registryOf([entry()]);
    const got: string[] = [];
    const e = await failure((async () => {
      for await (const d of streamModel(reg, 'up', ask('one two three four five six seven eight'))) if (d.type === 'text') got.push(d.text);
    })());
    expect(got.join('')).toMatch(/^echo: one/);
    expect(got.join('')).not.toContain('eight');
    expect(e.reason).toBe('connection_lost');
    expect(e.message).toMatch(/^model "up": /);
    expect(up.requests).toHaveLength(1);
  });

  it('retries at once, on a fresh connection, a call whose connection closed without a reply (a keep-alive race), plain and streamed, without holding it against the model', async () => {
    // One counted failure would open this breaker and a backoff would take a minute: the call only succeeds
    // (in time) if the lost connection is retried at once and not counted.
    const reg = registryOf([entry({ retries: 1 })], { backoff: { baseMs: 60_000, maxMs: 60_000 }, breaker: { failureThreshold: 1, cooldownMs: 60_000 } });
    up.script(['drop']);
    const connections = up.connections();
    const c = await callModel(reg, 'up', ask('一'));
    expect(up.connections()).toBeGreaterThan(connections); // the dropped connection is gone: the retry opened one
    expect(c.result.content).toBe('echo: 一');
    expect(c.attempts.map((a) => [a.ok, a.reason ?? null])).toEqual([[false, 'connection_lost'], [true, null]]);
    expect(up.requests).toHaveLength(2);

    up.script(['drop']);
    const got: string[] = [];
    for await (const d of streamModel(reg, 'up', ask('二'))) if (d.type === 'text') got.push(d.text);
    expect(got.join('')).toBe('echo: 二');
    expect(up.requests).toHaveLength(4);
    expect(reg.get('up').breaker.state).toBe('closed');
  }, 10_000);

  it('a connection lost again on the retry fails as connection_lost naming the model, and that one counts against it; with retries: 0 it is not retried', async () => {
    const reg = registryOf([entry({ retries: 1 })], { breaker: { failureThreshold: 2, cooldownMs: 60_000 } });
    up.script(['drop', 'drop']);
    const e = await failure(callModel(reg, 'up', ask('x')));
    expect(e.reason).toBe('connection_lost');
    expect(e.message).toMatch(/^model "up": connection to http:\/\/127\.0\.0\.1:\d+\/v1 failed or was cut/);
    expect(up.requests).toHaveLength(2);
    expect(reg.get('up').breaker.state).toBe('closed');
    up.script(['drop', 'drop']);
    await failure(callModel(reg, 'up', ask('x')));
    expect(reg.get('up').breaker.state).toBe('open');

    up.requests.length = 0;
    const none = registryOf([entry({ retries: 0 })]);
    up.script(['drop']);
    expect((await failure(callModel(none, 'up', ask('x')))).reason).toBe('connection_lost');
    expect(up.requests).toHaveLength(1);
  });

  it('turns a slow response into a timeout error naming the model and the limit', async () => {
    up.script([{ delayMs: 3000 }]);
    const reg = registryOf([entry({ timeoutMs: 200, retries: 0 })]);
    const e = await failure(callModel(reg, 'up', ask('x')));
    expect(e.code).toBe('timeout');
    expect(e.message).toBe('model "up": no response within 200 ms (timeout)');
  });

  it('applies the timeout to a stream that stalls', async () => {
    up.script([{ delayMs: 3000 }]);
    const reg = registryOf([entry({ timeoutMs: 200, retries: 0 })]);
    const e = await failure((async () => {
      for await (const _ of streamModel(reg, 'up', ask('x')));
    })());
    expect(e.code).toBe('timeout');
    expect(e.message).toContain('model "up"');
  });

  it('cancels an in-flight call when the caller aborts, without retries or fallback', async () => {
    up.script([{ delayMs: 3000 }]);
    const reg = registryOf([entry(), { id: 'extractive', provider: 'extractive' }].map((e, i) => (i === 0 ? { ...e, fallback: ['extractive'] } : e)));
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(new Error('Ctrl-C')), 100);
    const e = await failure(callModel(reg, 'up', { ...ask('x'), signal: ctl.signal }));
    expect(e.reason).toBe('cancelled');
    expect(up.requests).toHaveLength(1);
  });

  it('names the cause when nothing listens or the host does not resolve', async () => {
    const port = await freePort();
    const refused = registryOf([entry({ baseUrl: `http://127.0.0.1:${port}/v1` })]);
    const e1 = await failure(callModel(refused, 'up', ask('x')));
    expect(e1.message).toBe(`model "up": connection refused at http://127.0.0.1:${port}/v1 (is the server running?)`);
    const dns = registryOf([entry({ baseUrl: 'http://no-such-host.invalid/v1' })]);
    const e2 = await failure(callModel(dns, 'up', ask('x')));
    expect(e2.reason).toBe('dns');
    expect(e2.message).toContain('model "up": DNS lookup failed');
  });

  it('renders grounding passages into the prompt and resolves [n] citations in the reply', async () => {
    up.script([{ content: '窓口は午前8時30分から開いています[1]。' }]);
    const reg = registryOf([entry()]);
    const passages = [{ n: 1, source: 'guide.md', chunk: 0, heading: '受付時間', text: '窓口の受付時間は午前8時30分から午後5時15分までです。' }];
    const c = await callModel(reg, 'up', { ...ask('受付時間は？'), passages });
    const sent = up.requests.at(-1)!.body.messages;
    expect(sent[0].role).toBe('system');
    expect(sent[0].content).toContain('窓口の受付時間は午前8時30分から午後5時15分までです。');
    expect(c.result.citations).toEqual([expect.objectContaining({ source: 'guide.md', chunk: 0 })]);
    expect(c.result.abstained).toBe(false);
  });
});
