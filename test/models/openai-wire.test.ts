import http from 'node:http';
import type { AddressInfo } from 'node:net';
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
});

let server: http.Server | null = null;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = null;
});

describe('OpenAiWire.postEvents', () => {
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
