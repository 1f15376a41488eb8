import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LoadClient, replyEnd } from '../../bench/support/load-client.js';

/** A real node:http server on 127.0.0.1; `handler` answers each request. */
async function serve(handler: http.RequestListener): Promise<{ port: number; server: http.Server; seen: Array<{ url: string; headers: http.IncomingHttpHeaders; body: string }>; sockets: () => number }> {
  const seen: Array<{ url: string; headers: http.IncomingHttpHeaders; body: string }> = [];
  let sockets = 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (body += d));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', headers: req.headers, body });
      handler(req, res);
    });
  });
  server.on('connection', () => sockets++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  servers.push(server);
  return { port: (server.address() as AddressInfo).port, server, seen, sockets: () => sockets };
}
const servers: http.Server[] = [];
const clients: LoadClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});
const client = (port: number, headers?: Record<string, string>) => {
  const c = new LoadClient(port, '/v1/chat/completions', JSON.stringify({ model: 'm', messages: [{ role: 'user', content: '会議室の予約' }] }), headers);
  clients.push(c);
  return c;
};

describe('bench load client', () => {
  it('sends the prepared request and reads a Content-Length reply, reusing the connection', async () => {
    const s = await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":"はい"}'));
    const c = client(s.port, { authorization: 'Bearer k' });
    for (let i = 0; i < 3; i++) expect((await c.send()).status).toBe(200);
    expect(s.seen).toHaveLength(3);
    expect(s.seen[0]!.url).toBe('/v1/chat/completions');
    expect(s.seen[0]!.headers.authorization).toBe('Bearer k');
    expect(JSON.parse(s.seen[0]!.body).messages[0].content).toBe('会議室の予約');
    expect(s.sockets()).toBe(1);
  });

  it('waits for a chunked reply written in pieces, and for a body split across packets', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200);
      res.write('first piece,');
      setTimeout(() => res.write('second'), 20);
      setTimeout(() => res.end(), 40);
    });
    const c = client(s.port);
    const r = await c.send();
    expect(r.status).toBe(200);
    expect(r.ms).toBeGreaterThanOrEqual(35);
    const slow = await serve((_req, res) => {
      res.writeHead(201, { 'content-length': '10' });
      res.write('12345');
      setTimeout(() => res.end('67890'), 20);
    });
    const r2 = await client(slow.port).send();
    expect(r2).toMatchObject({ status: 201 });
    expect(r2.ms).toBeGreaterThanOrEqual(15);
  });

  it('reports the status of an error reply and a failure as status 0, and recovers on a new connection', async () => {
    let n = 0;
    const s = await serve((req, res) => {
      n++;
      if (n === 1) res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":{}}');
      else if (n === 2) req.socket.destroy();
      else res.end('ok');
    });
    const c = client(s.port);
    expect((await c.send()).status).toBe(401);
    expect((await c.send()).status).toBe(0);
    expect((await c.send()).status).toBe(200);
    expect(s.sockets()).toBe(2);
  });

  it('opens one connection per request in flight, and none when the server is down', async () => {
    const s = await serve((_req, res) => setTimeout(() => res.end('ok'), 30));
    const c = client(s.port);
    const replies = await Promise.all(Array.from({ length: 5 }, () => c.send()));
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(s.sockets()).toBe(5);
    expect(c.sockets).toBe(5);
    const port = s.port;
    c.close();
    servers.pop()!.close();
    expect((await client(port).send()).status).toBe(0);
  });

  it('does not reuse a connection the server closed while it was idle', async () => {
    const s = await serve((_req, res) => res.end('ok'));
    s.server.keepAliveTimeout = 50; // Node closes an idle connection about a second after this
    const c = client(s.port);
    expect((await c.send()).status).toBe(200);
    expect(c.sockets).toBe(1);
    // Until the client has seen the server close it (the socket leaves the client's set on 'close').
    for (let waited = 0; c.sockets > 0 && waited < 10_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    expect(c.sockets).toBe(0);
    expect((await c.send()).status).toBe(200);
    expect(s.sockets()).toBe(2);
  });

  it('frames replies: Content-Length, chunked, one behind another, incomplete and malformed', () => {
    const b = (s: string) => Buffer.from(s, 'latin1');
    const whole = (s: string) => replyEnd(b(s)) === b(s).length;
    expect(whole('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok')).toBe(true);
    expect(whole('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n')).toBe(true);
    expect(whole('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\na\r\n0123456789\r\n2\r\nab\r\n0\r\n\r\n')).toBe(true);
    // A second reply behind the first: the first ends where the second starts.
    const first = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';
    expect(replyEnd(b(first + first))).toBe(b(first).length);
    // Incomplete: body short, last chunk missing, headers unfinished.
    expect(replyEnd(b('HTTP/1.1 200 OK\r\ncontent-length:3\r\n\r\nok'))).toBe(-1);
    expect(replyEnd(b('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n'))).toBe(-1);
    expect(replyEnd(b('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\no'))).toBe(-1);
    expect(replyEnd(b('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n'))).toBe(-1);
    expect(() => replyEnd(b('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'))).toThrow(/not hex/);
  });
});
