/**
 * The load generator's HTTP/1.1 client for plain (non-streamed) calls: one request, prepared once as
 * bytes, written on a kept-alive socket; the reply is framed by Content-Length or chunked encoding and
 * its status read. Nothing else is parsed.
 *
 * Why not node:http: on this 2-core machine the load generator shares the cores with the upstream and
 * the gateway it measures. At 500 req/s (2026-12-03) node:http's client spent 0.22 ms of CPU per request in
 * the long-running bench and 0.33–0.48 ms in a fresh process (headers built and parsed, streams and events
 * for each reply), against 0.12–0.14 and 0.14–0.24 ms here; its own event-loop turns sit inside every
 * latency it reports (direct p50 0.16–0.17 ms with it, 0.09 with this one). The same client
 * measures every path (direct, bare proxy, hiraga), so "added" compares like with like.
 * bench:gateway keeps node:http for streams (time to first token) and behind BENCH_CLIENT=http.
 */
import net from 'node:net';

export interface Reply {
  /** Request written → whole reply read, ms. */
  ms: number;
  /** HTTP status; 0 when the connection failed or closed before a whole reply came. */
  status: number;
}

/** A socket is not reused after this long idle: servers close idle keep-alive connections (Node's default after 5 s). */
const IDLE_MS = 2000;
const HEADER_END = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = /\r\ncontent-length:[ \t]*(\d+)/i;
const CHUNKED = /\r\ntransfer-encoding:[ \t]*chunked/i;

interface Conn {
  socket: net.Socket;
  buf: Buffer | null;
  done: ((status: number) => void) | null;
  idleSince: number;
  closed: boolean;
}

export class LoadClient {
  private readonly request: Buffer;
  private readonly idle: Conn[] = [];
  private readonly all = new Set<Conn>();

  /** `headers`: extra request headers (Content-Type and Content-Length are set from `body`). */
  constructor(
    private readonly port: number,
    path: string,
    body: string,
    headers: Record<string, string> = {},
    private readonly host = '127.0.0.1',
  ) {
    const payload = Buffer.from(body, 'utf8');
    const lines = [`POST ${path} HTTP/1.1`, `Host: ${host}:${port}`, 'Content-Type: application/json', `Content-Length: ${payload.length}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
    this.request = Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1'), payload]);
  }

  /** Send the request once; resolves with its status and time (never rejects: a failure is status 0). */
  send(): Promise<Reply> {
    return new Promise((resolve) => {
      const t0 = performance.now();
      const conn = this.take();
      conn.done = (status) => resolve({ ms: performance.now() - t0, status });
      conn.socket.write(this.request);
    });
  }

  /** Sockets open now (idle or busy). */
  get sockets(): number {
    return this.all.size;
  }

  close(): void {
    for (const c of this.all) c.socket.destroy();
    this.all.clear();
    this.idle.length = 0;
  }

  private take(): Conn {
    const now = performance.now();
    for (let c = this.idle.pop(); c; c = this.idle.pop()) {
      if (!c.closed && now - c.idleSince < IDLE_MS) return c;
      this.drop(c);
    }
    return this.open();
  }

  private open(): Conn {
    const socket = net.connect(this.port, this.host);
    socket.setNoDelay(true);
    const c: Conn = { socket, buf: null, done: null, idleSince: 0, closed: false };
    this.all.add(c);
    socket.on('data', (d: Buffer) => this.onData(c, d));
    const fail = () => {
      c.closed = true;
      this.all.delete(c);
      const done = c.done;
      c.done = null;
      done?.(0);
    };
    socket.on('error', fail);
    socket.on('close', fail);
    return c;
  }

  private drop(c: Conn): void {
    c.closed = true;
    this.all.delete(c);
    c.socket.destroy();
  }

  private onData(c: Conn, d: Buffer): void {
    c.buf = c.buf ? Buffer.concat([c.buf, d]) : d;
    let end: number;
    try {
      end = replyEnd(c.buf);
    } catch {
      end = Number.NaN; // malformed framing
    }
    if (end < 0) return;
    const status = Number(c.buf.toString('latin1', 9, 12));
    if (end !== c.buf.length || !c.done) {
      // Bad framing, bytes after the reply, or a reply nobody asked for: the connection is out of step.
      const done = c.done;
      c.done = null;
      this.drop(c);
      done?.(0);
      return;
    }
    c.buf = null;
    const done = c.done;
    c.done = null;
    c.idleSince = performance.now();
    this.idle.push(c);
    done(status);
  }
}

/** Where the first whole reply in `buf` ends, or -1 while it is incomplete. */
export function replyEnd(buf: Buffer): number {
  const headerEnd = buf.indexOf(HEADER_END);
  if (headerEnd < 0) return -1;
  const head = buf.toString('latin1', 0, headerEnd);
  const bodyStart = headerEnd + 4;
  const length = CONTENT_LENGTH.exec(head);
  if (length) {
    const end = bodyStart + Number(length[1]);
    return buf.length >= end ? end : -1;
  }
  if (!CHUNKED.test(head)) return bodyStart; // no body (our servers always send one of the two framings)
  let i = bodyStart;
  for (;;) {
    const lineEnd = buf.indexOf('\r\n', i, 'latin1');
    if (lineEnd < 0) return -1;
    const size = parseInt(buf.toString('latin1', i, lineEnd), 16);
    if (Number.isNaN(size)) throw new Error(`load client: a chunk size line that is not hex: ${JSON.stringify(buf.toString('latin1', i, lineEnd))}`);
    // A chunk is size bytes then CRLF; the last (size 0) is followed by trailers (none here) and CRLF.
    const next = lineEnd + 2 + size + 2;
    if (buf.length < next) return -1;
    if (size === 0) return next;
    i = next;
  }
}
