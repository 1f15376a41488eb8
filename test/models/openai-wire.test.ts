import http from 'node:http';
import type { AddressInfo } from 'node:net';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { Dispatcher } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { OpenAiWire } from '../../src/models/providers/openai-wire.js';
import { SseParser } from '../../src/models/providers/sse-parser.js';

function parseAll(chunks: Buffer[]): string[] {
  const p = new SseParser();
  const out: string[] = [];
  for (const c of chunks) p.push(c, out);
  p.end(out);
  return out;
}

describe('SseParser', () => {
  const body = ': a comment\r\nevent: message\r\nid: 7\r\ndata: {"a":"会議室"}\r\n\r\ndata: line one\ndata: line two\n\ndata:nospace\n\ndata: 🏯 end\n\ndata: [DONE]\n\n';
  const expected = ['{"a":"会議室"}', 'line one\nline two', 'nospace', '🏯 end', '[DONE]'];

  it('reads data lines, joins multi-line data, skips comments and other fields, accepts CRLF', () => {
    expect(parseAll([Buffer.from(body)])).toEqual(expected);
  });

  it('gives the same events however the bytes are split, through multi-byte characters too', () => {
    const bytes = Buffer.from(body);
    for (let cut = 1; cut < bytes.length; cut++) expect(parseAll([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual(expected);
    expect(parseAll([...bytes].map((b) => Buffer.from([b])))).toEqual(expected);
  });

  it('at the end of the body keeps an event without its blank line and drops a partial line', () => {
    expect(parseAll([Buffer.from('data: a\n\ndata: b\n')])).toEqual(['a', 'b']);
    expect(parseAll([Buffer.from('data: a\n\ndata: b')])).toEqual(['a']);
  });

  it('counts what it holds for an incomplete event', () => {
    const p = new SseParser();
    const out: string[] = [];
    p.push(Buffer.from('data: ' + 'x'.repeat(1000)), out);
    expect(out).toEqual([]);
    expect(p.pending).toBeGreaterThan(1000);
  });

  it('ends lines at a lone CR as well (the SSE specification allows CRLF, LF and CR), however the bytes are split', () => {
    const cr = 'data: a\r\rdata: b\rdata: c\r\r: comment\rdata: 会議室\r\n\ndata: [DONE]\r\r';
    const want = ['a', 'b\nc', '会議室', '[DONE]'];
    const bytes = Buffer.from(cr);
    expect(parseAll([bytes])).toEqual(want);
    for (let cut = 1; cut < bytes.length; cut++) expect(parseAll([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual(want);
    expect(parseAll([...bytes].map((b) => Buffer.from([b])))).toEqual(want);
  });

  it('takes a CRLF split between two chunks as one line end, not a line end and a blank line', () => {
    // Were the CR at a chunk's end taken alone, its LF would be a blank line and end the event after "one".
    expect(parseAll([Buffer.from('data: one\r'), Buffer.from('\ndata: two\r\n\r\n')])).toEqual(['one\ntwo']);
  });

  it('takes a CR at the very end of the body as a line end', () => {
    expect(parseAll([Buffer.from('data: a\r\rdata: b\r')])).toEqual(['a', 'b']);
  });

  it('drops a byte order mark before the first line, also when it arrives a byte at a time', () => {
    const bytes = Buffer.from('\uFEFFdata: a\n\n');
    expect(parseAll([bytes])).toEqual(['a']);
    expect(parseAll([...bytes].map((b) => Buffer.from([b])))).toEqual(['a']);
    // Only the first one: later it is text.
    expect(parseAll([Buffer.from('data: a\n\ndata: \uFEFFb\n\n')])).toEqual(['a', '\uFEFFb']);
  });

  it('reads a "data" line without a colon as an empty data line, and no other field that starts with "data"', () => {
    expect(parseAll([Buffer.from('data\ndata: x\n\ndata\n\ndatum: y\ndata2: z\n\n')])).toEqual(['\nx', '']);
  });

  it('counts the finished data lines of an event not yet complete, and nothing once it is', () => {
    const p = new SseParser();
    const out: string[] = [];
    for (let i = 0; i < 10; i++) p.push(Buffer.from(`data: ${'x'.repeat(100)}\n`), out);
    expect(out).toEqual([]);
    expect(p.pending).toBeGreaterThan(1000);
    p.push(Buffer.from('\n'), out);
    expect(out).toHaveLength(1);
    expect(p.pending).toBe(0);
  });
});

let server: http.Server | null = null;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = null;
});

describe('OpenAiWire.postEvents', () => {
  it('fails an event that grows past maxResponseBytes through many data lines without its blank line', async () => {
    server = http.createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (let i = 0; i < 2_000; i++) res.write(`data: ${'x'.repeat(100)}\n`); // ~200 KB, one event never finished
      res.end('\ndata: [DONE]\n\n');
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    const wire = new OpenAiWire({ model: 'm', baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, headers: {}, maxResponseBytes: 10_000 });
    await expect(wire.postEvents('chat/completions', { stream: true }).next()).rejects.toThrow(/is larger than 10000 bytes/);
    wire.close();
  });

  it('pauses the model server when events are not read (back-pressure), and goes on when they are', async () => {
    const event = `data: ${JSON.stringify({ choices: [{ delta: { content: 'x'.repeat(1000) } }] })}\n\n`;
    const total = 40_000; // ~40 MB if nothing held it back
    let written = 0;
    server = http.createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const more = () => {
        while (written < total) {
          written++;
          if (!res.write(event)) return void res.once('drain', more);
        }
        res.end('data: [DONE]\n\n');
      };
      more();
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    const wire = new OpenAiWire({ model: 'm', baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, headers: {} });
    const it = wire.postEvents('chat/completions', { stream: true });
    await it.next();
    await new Promise((r) => setTimeout(r, 400));
    const stalled = written;
    // Held back: what the socket buffers take, plus the parser's 64 unread events, not the whole body.
    expect(stalled * event.length).toBeLessThan(16 * 2 ** 20);
    let read = 1;
    for await (const _ of it) read++;
    expect(read).toBe(total);
    wire.close();
  });
});

/** A full collection, as after `--expose-gc` (set for this worker only). */
function collector(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

describe('OpenAiWire.postJson', () => {
  it('once a call is over, the handler it gave undici reaches neither the reply nor undici\'s controller', async () => {
    // undici (or anything else) may keep a handler reachable after the call; whatever the handler still
    // reaches then lives on with it (in the gateway: survived young-generation collections, and made each
    // one several times longer).
    const gc = collector();
    const reply = JSON.stringify({ choices: [{ message: { role: 'assistant', content: '会議室は総務課で予約します。'.repeat(50) } }] });
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(reply));
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    const wire = new OpenAiWire({ model: 'm', baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, headers: {} });
    const pool = (wire as unknown as { pool: { dispatch(o: Dispatcher.DispatchOptions, h: Dispatcher.DispatchHandler): boolean } }).pool;
    const dispatch = pool.dispatch.bind(pool);
    const kept: Dispatcher.DispatchHandler[] = [];
    const seen: { controller?: WeakRef<object>; chunk?: WeakRef<object> } = {};
    pool.dispatch = (o, handler) => {
      kept.push(handler); // held strongly, as a holder of the handler would
      const start = handler.onRequestStart!;
      const data = handler.onResponseData!;
      handler.onRequestStart = (c, ctx) => {
        seen.controller = new WeakRef(c);
        start.call(handler, c, ctx);
      };
      handler.onResponseData = (c, chunk) => {
        seen.chunk = new WeakRef(chunk);
        data.call(handler, c, chunk);
      };
      return dispatch(o, handler);
    };
    const signal = new AbortController().signal; // the caller's signal, hooked and unhooked by the call
    expect(((await wire.postJson('chat/completions', { model: 'm' }, signal)) as { choices: unknown[] }).choices).toHaveLength(1);
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setImmediate(r));
      gc();
    }
    expect(kept).toHaveLength(1);
    expect(seen.chunk && seen.controller).toBeTruthy();
    expect(seen.chunk!.deref()).toBeUndefined();
    expect(seen.controller!.deref()).toBeUndefined();
    wire.close();
  });
});
