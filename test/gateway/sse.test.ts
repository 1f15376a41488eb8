import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { chunk, textEventWriter } from '../../src/gateway/openai/chat-response.js';
import { sseEvent, sseResponse, withHandedOverStreams } from '../../src/gateway/sse.js';

describe('text events built from a per-stream prefix', () => {
  it.each(['', 'echo', '会議室の予約', 'a "quoted" \\ back\\slash', 'line\nbreak\r\ttab', '\u2028\u2029', '絵文字 🏯', '〔氏名1〕', '\u0000\u001f'])('equal sseEvent(chunk(…)) for %j', (content) => {
    const write = textEventWriter('chatcmpl-abc"1', 1796306116, 'up"model');
    const text = write(content);
    expect(text).toBe(sseEvent(chunk('chatcmpl-abc"1', 1796306116, 'up"model', { content })));
    expect(JSON.parse(text.slice('data: '.length))).toMatchObject({ choices: [{ delta: { content } }] });
  });
});

/** What one event stream went through: how many events were pulled, whether it was ended early, how often onEnd ran. */
function tracked(events: Iterable<string> | (() => Iterable<string>), delayMs = 0) {
  const t = { pulled: 0, returned: false, ended: 0 };
  async function* gen() {
    try {
      for (const e of typeof events === 'function' ? events() : events) {
        if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
        t.pulled++;
        yield e;
      }
    } finally {
      t.returned = true;
    }
  }
  return { t, it: gen(), onEnd: () => t.ended++ };
}

let server: http.Server | null = null;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = null;
});

/** A real Node server running `app` the way `hiraga serve` does (withHandedOverStreams around app.fetch). */
async function serveApp(app: Hono): Promise<string> {
  server = http.createServer(getRequestListener(withHandedOverStreams(app.fetch)));
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('event streams outside a Node server (app.request)', () => {
  it('are a web ReadableStream body over the same events, ended once', async () => {
    const s = tracked(['data: 1\n\n', 'data: [DONE]\n\n']);
    const app = new Hono();
    app.get('/s', (c) => sseResponse(c, s.it, {}, s.onEnd));
    const res = await app.request('/s');
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(await res.text()).toBe('data: 1\n\ndata: [DONE]\n\n');
    expect(s.t).toEqual({ pulled: 2, returned: true, ended: 1 });
  });
});

describe('event streams on a Node server without withHandedOverStreams', () => {
  it('go out as a web stream body, not handed over to a writer that is not there', async () => {
    const s = tracked(['data: 1\n\n', 'data: [DONE]\n\n']);
    const app = new Hono();
    app.get('/s', (c) => sseResponse(c, s.it, {}, s.onEnd));
    server = http.createServer(getRequestListener(app.fetch));
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/s`);
    expect(await res.text()).toBe('data: 1\n\ndata: [DONE]\n\n');
    expect(s.t).toEqual({ pulled: 2, returned: true, ended: 1 });
  });
});

describe('event streams written by the Node server', () => {
  it('go out with the headers middleware added after the route, all events in order, and end the stream once', async () => {
    const s = tracked(['data: 1\n\n', 'data: 2\n\n', 'data: [DONE]\n\n']);
    const app = new Hono();
    app.use('*', async (c, next) => {
      await next();
      c.res.headers.set('X-Request-Id', 'req-42');
    });
    app.get('/s', (c) => sseResponse(c, s.it, { 'x-extra': 'yes' }, s.onEnd));
    const res = await fetch(`${await serveApp(app)}/s`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(res.headers.get('x-request-id')).toBe('req-42');
    expect(res.headers.get('x-extra')).toBe('yes');
    expect(res.headers.get('x-hono-already-sent')).toBeNull();
    expect(await res.text()).toBe('data: 1\n\ndata: 2\n\ndata: [DONE]\n\n');
    expect(s.t).toEqual({ pulled: 3, returned: true, ended: 1 });
  });

  it('are stopped, and the response middleware answered with goes out instead, when it replaced the stream after the route', async () => {
    const s = tracked(['data: 1\n\n', 'data: 2\n\n']);
    const app = new Hono();
    app.use('*', async (c, next) => {
      await next();
      c.res = c.json({ error: 'replaced' }, 500);
    });
    app.get('/s', (c) => sseResponse(c, s.it, {}, s.onEnd));
    const res = await fetch(`${await serveApp(app)}/s`);
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: 'replaced' });
    await new Promise((r) => setTimeout(r, 20));
    // Started (one event made and dropped) so that its `finally`, where a route releases the model call, runs.
    expect(s.t).toEqual({ pulled: 1, returned: true, ended: 1 });
  });

  it('end the events when the client goes away mid-stream', async () => {
    const s = tracked(function* () {
      for (;;) yield 'data: tick\n\n';
    }, 5);
    const app = new Hono();
    app.get('/s', (c) => sseResponse(c, s.it, {}, s.onEnd));
    const url = await serveApp(app);
    const ctl = new AbortController();
    const res = await fetch(`${url}/s`, { signal: ctl.signal });
    const reader = res.body!.getReader();
    await reader.read();
    ctl.abort();
    const deadline = Date.now() + 2000;
    while (!s.t.returned && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(s.t.returned).toBe(true);
    expect(s.t.ended).toBe(1);
  });

  it('pull no further than the client reads (back-pressure)', async () => {
    const big = `data: ${'x'.repeat(64 * 1024)}\n\n`;
    const s = tracked(function* () {
      for (;;) yield big;
    });
    const app = new Hono();
    app.get('/s', (c) => sseResponse(c, s.it, {}, s.onEnd));
    const url = await serveApp(app);
    // A raw client that reads the headers and then nothing.
    const req = http.get(`${url}/s`);
    const res = await new Promise<http.IncomingMessage>((r) => req.once('response', r));
    res.pause();
    await new Promise((r) => setTimeout(r, 300));
    const early = s.t.pulled;
    await new Promise((r) => setTimeout(r, 300));
    // Stalled: only what fits in the socket buffers was pulled, and nothing more while the client does not read.
    expect(early).toBeLessThan(400);
    expect(s.t.pulled).toBe(early);
    res.resume();
    // Reading again pulls again (waited for, not timed: a loaded machine may take longer than a fixed pause).
    const until = Date.now() + 5000;
    while (s.t.pulled === early && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    expect(s.t.pulled).toBeGreaterThan(early);
    req.destroy();
  });
});
