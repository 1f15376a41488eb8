/**
 * What reaches the log at the default level (info) when calls carry personal data and secrets: through success,
 * a model server's 500 that quotes the request (with our key to it), an error event mid-stream that does the same, a timeout, a policy
 * block, malformed JSON and an unknown key. A real gateway on 127.0.0.1 with the real logger (pino, JSON) written
 * to memory, and the scripted upstream standing in for the model server.
 */
import { Writable } from 'node:stream';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/gateway/log.js';
import { startGateway, type RunningGateway } from '../../src/gateway/server.js';
import { parsePrometheusText, sampleSum } from '../helpers/prom-text.js';
import { relay } from '../helpers/tcp-relay.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';
import { call, KEYS, testConfig, upstreamModels, UPSTREAM_SECRET } from './helpers.js';

const PERSONAL = ['123456789018', '山田', '太郎', '090-1234-5678', '09012345678', 'yamada.taro@example.go.jp'];
const PROMPT = 'マイナンバー 123456789018 の山田太郎さん（電話 090-1234-5678、yamada.taro@example.go.jp）の転入届について';
const messages = [{ role: 'user', content: PROMPT }];

let up: Upstream;
let gw: RunningGateway;
const lines: string[] = [];

beforeAll(async () => {
  up = await startUpstream({ apiKey: UPSTREAM_SECRET });
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const config = testConfig({ models: upstreamModels(up.url), server: { requestTimeoutMs: 1000 } });
  gw = await startGateway({ config, port: 0, host: '127.0.0.1', logger: createLogger('info', sink), webDir: path.join(config.dataDir, 'no-web') });
});

afterAll(async () => {
  await gw?.close();
  await up?.close();
});

const chat = (body: Record<string, unknown>, key: string = KEYS.staff) => call(gw, '/v1/chat/completions', { key, body: Object.assign({ model: 'up', messages }, body) });

describe('the log at the default level', () => {
  it('holds no personal data or secret on any path, and ties every request line to its x-request-id', async () => {
    const ids = new Map<string, string>();
    const note = (what: string, r: { status: number; headers: Headers; json: any }) => {
      const id = r.headers.get('x-request-id')!;
      expect(id, what).toBeTruthy();
      if (r.json?.error) expect(r.json.error.request_id, what).toBe(id);
      ids.set(id, what);
      return r;
    };
    expect(note('ok', await chat({})).status).toBe(200);
    expect(note('stream ok', await chat({ stream: true })).status).toBe(200);
    up.script({ status: 500, body: { error: { message: `internal error while handling: ${PROMPT} (key ${UPSTREAM_SECRET})` } } });
    expect(note('upstream 500', await chat({})).status).toBe(502);
    up.script({ streamError: `engine failed on: ${PROMPT}` });
    expect(note('stream error', await chat({ stream: true })).status).toBe(200);
    up.script({ delayMs: 3000 });
    expect(note('timeout', await chat({})).status).toBe(504);
    expect(note('policy block', await chat({ model: 'foreign' })).status).toBe(403);
    const malformed = await call(gw, '/v1/chat/completions', { key: KEYS.staff, raw: `{"model":"up","messages":[{"role":"user","content":"${PROMPT}"}` });
    expect(note('malformed JSON', malformed).status).toBe(400);
    expect(note('unknown key', await chat({}, 'sk-not-a-hiraga-key-1234567890')).status).toBe(401);

    const logged = lines.join('\n');
    // The failures the operator must see are there, with their request ids.
    const errorLines = lines.map((l) => JSON.parse(l)).filter((l) => l.level >= 40);
    expect(errorLines.length).toBeGreaterThanOrEqual(3);
    for (const l of errorLines) expect(ids.has(l.requestId), `log line without a known request id: ${JSON.stringify(l)}`).toBe(true);
    expect(new Set(errorLines.map((l) => ids.get(l.requestId)))).toEqual(new Set(['upstream 500', 'stream error', 'timeout']));
    // Masked where the model server quoted the request: the kind of data is there, the person is not; the
    // model server's own diagnosis stays.
    expect(logged).toContain('〔個人番号1〕');
    expect(logged).toContain('〔氏名1〕');
    expect(logged).toContain('internal error while handling');
    for (const secret of [UPSTREAM_SECRET, KEYS.staff, 'sk-not-a-hiraga-key-1234567890']) expect(logged).not.toContain(secret);
    for (const p of PERSONAL) expect(logged, `"${p}" reached the log`).not.toContain(p);
  });
});

describe('the log while Redis is away', () => {
  it('says so once with the request id, not once per request; the metric counts every request let through', async () => {
    const REDIS_URL = process.env.HIRAGA_TEST_REDIS_URL;
    if (!REDIS_URL) throw new Error('this test needs HIRAGA_TEST_REDIS_URL (a local Redis)');
    const redis = await relay(new URL(REDIS_URL));
    const seen: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        seen.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    const config = testConfig({ models: upstreamModels(up.url), redis: redis.url(REDIS_URL) });
    const node = await startGateway({ config, port: 0, host: '127.0.0.1', logger: createLogger('info', sink), webDir: path.join(config.dataDir, 'no-web') });
    try {
      await redis.cut();
      const results = await Promise.all(Array.from({ length: 40 }, () => call(node, '/v1/chat/completions', { key: KEYS.staff, body: { model: 'up', messages: [{ role: 'user', content: 'こんにちは' }] } })));
      expect(results.map((r) => r.status)).toEqual(new Array(40).fill(200));
      const ids = new Set(results.map((r) => r.headers.get('x-request-id')));
      const warnings = seen.map((l) => JSON.parse(l)).filter((l) => l.level === 40 && /rate limiter unavailable/.test(l.msg));
      expect(warnings.length).toBeGreaterThanOrEqual(1);
      expect(warnings.length).toBeLessThanOrEqual(2);
      expect(warnings.some((w) => ids.has(w.requestId))).toBe(true);
      const families = parsePrometheusText((await call(node, '/metrics')).text);
      expect(sampleSum(families, 'hiraga_rate_limiter_errors_total')).toBeGreaterThanOrEqual(40);
    } finally {
      await node.close();
    }
  });
});
