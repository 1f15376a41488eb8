import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HiragaError } from '../../src/core/errors.js';
import { backoffDelay } from '../../src/models/resilience/backoff.js';
import { CircuitBreaker } from '../../src/models/resilience/breaker.js';
import { callModel, streamModel } from '../../src/models/resilience/call.js';
import { Semaphore } from '../../src/models/resilience/semaphore.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';
import { freePort, registryOf } from './setup.js';

let up: Upstream;
let deadUrl: string;
beforeAll(async () => {
  up = await startUpstream();
  deadUrl = `http://127.0.0.1:${await freePort()}/v1`;
});
afterAll(() => up.close());
afterEach(() => {
  up.requests.length = 0;
});

const model = (id: string, extra: Record<string, unknown> = {}) => ({ id, provider: 'openai-compatible', baseUrl: up.url, model: id, ...extra });
const ask = { messages: [{ role: 'user' as const, content: '質問' }] };
const failure = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(HiragaError);
  return e as HiragaError;
};

describe('registry', () => {
  it('lists every model with its trust facts and rejects an unknown id, listing the configured ones', async () => {
    const reg = registryOf([{ id: 'extractive', provider: 'extractive' }, model('a', { clearance: 2, watts: 350, priceInputPer1k: 0.5, fallback: ['extractive'] })]);
    expect(reg.list().map((m) => [m.id, m.clearance, m.origin, m.hosting])).toEqual([
      ['extractive', 3, 'domestic', 'on-prem'],
      ['a', 2, 'foreign', 'foreign-cloud'],
    ]);
    expect(reg.get('a').info).toMatchObject({ watts: 350, priceInputPer1k: 0.5, fallback: ['extractive'] });
    const e = await failure(Promise.resolve().then(() => reg.get('gpt-x')));
    expect(e.code).toBe('not_found');
    expect(e.message).toBe('model "gpt-x" is not configured; configured models: extractive, a');
  });
});

describe('fallback chain and clearance', () => {
  it('falls back to the next model when the requested one is unreachable', async () => {
    const reg = registryOf([model('primary', { baseUrl: deadUrl, clearance: 3, fallback: ['backup'] }), model('backup', { clearance: 3 })]);
    const c = await callModel(reg, 'primary', ask, { requiredLevel: 3 });
    expect(c.model.id).toBe('backup');
    expect(c.result.content).toBe('echo: 質問');
    expect(c.attempts.map((a) => [a.model, a.ok, a.reason])).toEqual([
      ['primary', false, 'connection_refused'],
      ['backup', true, undefined],
    ]);
  });

  it('never falls back to a model cleared for less than the request needs', async () => {
    const reg = registryOf([model('secure', { baseUrl: deadUrl, clearance: 3, fallback: ['cloud'] }), model('cloud', { clearance: 1 })]);
    const e = await failure(callModel(reg, 'secure', ask, { requiredLevel: 3 }));
    expect(up.requests).toHaveLength(0);
    expect(e.message).toContain('model "secure": connection refused');
    expect(e.message).toContain('fallback "cloud" skipped: clearance 1 < level 3');
    // The same chain may use the cloud model for a level-1 request.
    const ok = await callModel(reg, 'secure', ask, { requiredLevel: 1 });
    expect(ok.model.id).toBe('cloud');
  });

  it('blocks a request whose level exceeds the requested model clearance (policy, not upstream)', async () => {
    const reg = registryOf([model('cloud', { clearance: 1 })]);
    const e = await failure(callModel(reg, 'cloud', ask, { requiredLevel: 2 }));
    expect(e.code).toBe('policy');
    expect(e.reason).toBe('confidentiality_exceeds_clearance');
    expect(up.requests).toHaveLength(0);
  });

  it('follows fallbacks of fallbacks once each, and names every cause in one error', async () => {
    const reg = registryOf([
      model('a', { baseUrl: deadUrl, fallback: ['b'] }),
      model('b', { retries: 0, fallback: ['a', 'c'] }),
      model('c', { retries: 0 }),
    ]);
    up.script([{ status: 500 }, { status: 503 }]);
    const e = await failure(callModel(reg, 'a', ask));
    expect(up.requests.map((r) => r.body.model)).toEqual(['b', 'c']);
    expect(e.message).toMatch(/^model "a": connection refused .*; fallback model "b": 500 server error .*; fallback model "c": 503 server error/);
  });

  it('falls back in streaming before any text, and reports the answering model', async () => {
    const reg = registryOf([model('a', { baseUrl: deadUrl, fallback: ['b'] }), model('b')]);
    const models = new Set<string>();
    let answered = '';
    for await (const d of streamModel(reg, 'a', ask)) {
      if (d.type === 'text') models.add(d.model);
      else answered = d.call.model.id;
    }
    expect([...models]).toEqual(['b']);
    expect(answered).toBe('b');
  });
});

describe('circuit breaker', () => {
  it('opens after repeated failures so calls fail fast without reaching the server, then closes after a good trial', async () => {
    let now = 1_000_000;
    const reg = registryOf([model('flaky', { retries: 0 })], { breaker: { failureThreshold: 2, cooldownMs: 10_000, now: () => now } });
    up.script([{ status: 500 }, { status: 500 }]);
    await failure(callModel(reg, 'flaky', ask));
    await failure(callModel(reg, 'flaky', ask));
    expect(up.requests).toHaveLength(2);
    const open = await failure(callModel(reg, 'flaky', ask));
    expect(open.reason).toBe('circuit_open');
    expect(open.message).toMatch(/^model "flaky": circuit open/);
    expect(up.requests).toHaveLength(2);
    now += 10_000;
    expect(reg.get('flaky').breaker.state).toBe('half-open');
    expect((await callModel(reg, 'flaky', ask)).result.content).toBe('echo: 質問');
    expect(reg.get('flaky').breaker.state).toBe('closed');
  });

  it('lets one trial through when half-open; a failed trial opens it again', () => {
    let now = 0;
    const b = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 100, now: () => now });
    b.failure();
    expect(b.tryEnter()).toBe(false);
    now = 100;
    expect(b.tryEnter()).toBe(true);
    expect(b.tryEnter()).toBe(false);
    b.failure();
    expect(b.state).toBe('open');
  });

  it('does not count a cancelled call against the model', async () => {
    const reg = registryOf([model('m', { retries: 0 })], { breaker: { failureThreshold: 1 } });
    up.script([{ delayMs: 2000 }]);
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 50);
    expect((await failure(callModel(reg, 'm', { ...ask, signal: ctl.signal }))).reason).toBe('cancelled');
    expect(reg.get('m').breaker.state).toBe('closed');
  });
});

describe('backoff and concurrency', () => {
  it('grows exponentially with jitter inside [half, full] and is capped', () => {
    expect(backoffDelay(0, { baseMs: 100, random: () => 0 })).toBe(50);
    expect(backoffDelay(0, { baseMs: 100, random: () => 1 })).toBe(100);
    expect(backoffDelay(3, { baseMs: 100, random: () => 1 })).toBe(800);
    expect(backoffDelay(20, { baseMs: 100, maxMs: 1000, random: () => 1 })).toBe(1000);
  });

  it('bounds concurrent calls per model (maxConcurrency)', async () => {
    const reg = registryOf([model('one', { maxConcurrency: 1 })]);
    up.script([{ delayMs: 300 }, 'ok']);
    const calls = [callModel(reg, 'one', ask), callModel(reg, 'one', ask)];
    await new Promise((r) => setTimeout(r, 150));
    expect(up.requests).toHaveLength(1);
    await Promise.all(calls);
    expect(up.requests).toHaveLength(2);
  });

  it('a semaphore waiter can be cancelled and the slot passes on in order', async () => {
    const s = new Semaphore(1);
    const release = await s.acquire();
    const ctl = new AbortController();
    const cancelled = s.acquire(ctl.signal);
    const next = s.acquire();
    ctl.abort(new Error('gone'));
    await expect(cancelled).rejects.toThrow('gone');
    release();
    const r2 = await next;
    expect(s.inUse).toBe(1);
    r2();
    expect(s.inUse).toBe(0);
  });
});
