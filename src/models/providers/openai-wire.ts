import type { Readable } from 'node:stream';
import { Pool, type Dispatcher } from 'undici';
import { HiragaError } from '../../core/errors.js';
import { modelFailure, networkFailure, parseRetryAfter, statusFailure } from '../failure.js';

/**
 * The OpenAI HTTP wire protocol (POST JSON; JSON or Server-Sent Events back) over one undici
 * connection pool (keep-alive) per model.
 *
 * Why not the `openai` package on this path: on the gateway's hot path the package's per-call work
 * (web Request/Response and Headers objects, fetch, stream wrappers, option merging) was the largest
 * item hiraga added to a model call; `undici.request` is the lightest well-kept HTTP client for Node
 * (`npm run bench:models` compares it with the official client in the same run). The protocol surface
 * used here is three requests, so the client is small; the official client is still what the tests
 * use to check that hiraga's own API is compatible.
 *
 * Every failure becomes one HiragaError naming the model and the cause (src/models/failure.ts).
 */
export interface WireOptions {
  /** Model id, for messages. */
  model: string;
  /** Base URL ending before /chat/completions, e.g. http://127.0.0.1:8000/v1 */
  baseUrl: string;
  /** Sent with every request (Authorization, vendor headers). */
  headers: Record<string, string>;
  /** Largest response body read (bytes); a larger one fails as malformed_response. */
  maxResponseBytes?: number;
  /** Idle connections are kept this long for reuse (ms; default 4 s, below the 5 s after which common model servers close them). */
  keepAliveMs?: number;
}

const DEFAULT_MAX_RESPONSE = 16 * 1024 * 1024;

/** How long the end of a streamed body may take after its [DONE] event before the body is cut (ms). */
const DONE_GRACE_MS = 1000;

/** Read what follows [DONE] to the body's end without keeping it; cut the body if it is still open after DONE_GRACE_MS. */
function drainAfterDone(body: Readable): void {
  const timer = setTimeout(() => body.destroy(), DONE_GRACE_MS);
  timer.unref();
  const stop = () => clearTimeout(timer);
  body.once('end', stop);
  body.once('close', stop);
  body.on('error', stop);
  body.resume();
}

export class OpenAiWire {
  private readonly base: URL;
  private readonly pool: Pool;
  private readonly maxBytes: number;
  private readonly paths = new Map<string, string>();

  constructor(private readonly o: WireOptions) {
    // The path gets a trailing slash so relative paths resolve under it; a query (api-version=…) stays a query.
    this.base = new URL(o.baseUrl);
    if (!this.base.pathname.endsWith('/')) this.base.pathname += '/';
    if (this.base.protocol !== 'http:' && this.base.protocol !== 'https:') throw new TypeError(`baseUrl must be http(s): ${o.baseUrl}`);
    // Timeouts are the resilience layer's (per model, idle-based for streams): undici's own are off.
    // Idle connections are dropped before the server drops them: uvicorn (vLLM) and Node answer event
    // streams without a Keep-Alive hint and close after 5 s idle, and a call written to a connection the
    // server is closing fails ("other side closed"). With 30 s here, a burst of 1,000 streams 4.0 / 4.5 s
    // after the previous one lost 41 / 190 of them that way, as the upstream's 5 s ran out mid-burst (test
    // upstream, retries 0); with 4 s, none.
    this.pool = new Pool(this.base.origin, { headersTimeout: 0, bodyTimeout: 0, keepAliveTimeout: o.keepAliveMs ?? 4_000 });
    this.maxBytes = o.maxResponseBytes ?? DEFAULT_MAX_RESPONSE;
  }

  private get where(): string {
    return this.o.baseUrl;
  }

  /**
   * POST `payload` to `path` (relative to baseUrl) and parse the JSON reply.
   *
   * Through undici's dispatch API: the reply's chunks arrive in a handler and are joined once, with no
   * body stream or async iterator in between (in a CPU profile of bench:gateway, reading the reply
   * through `request()`'s body stream was about 40% of this client's own work per call).
   */
  postJson(path: string, payload: unknown, signal?: AbortSignal): Promise<unknown> {
    const body = JSON.stringify(payload);
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const chunks: Buffer[] = [];
      let size = 0;
      let status = 0;
      let headers: Record<string, string | string[] | undefined> = {};
      let settled = false;
      let controller: Dispatcher.DispatchController | null = null;
      const onAbort = () => controller?.abort(signal!.reason instanceof Error ? signal!.reason : new Error('aborted'));
      const done = (err: unknown, value?: unknown) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        if (err) reject(err);
        else resolve(value);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const handler: Dispatcher.DispatchHandler = {
        onRequestStart: (c) => {
          controller = c;
          if (signal?.aborted) onAbort();
        },
        onResponseStart: (_c, statusCode, h) => {
          status = statusCode;
          headers = h;
        },
        onResponseData: (c, chunk) => {
          size += chunk.length;
          if (size > this.maxBytes) {
            done(modelFailure(this.o.model, 'malformed_response', `the response from ${this.where} is larger than ${this.maxBytes} bytes`));
            c.abort(new Error('response too large'));
            return;
          }
          chunks.push(chunk);
        },
        onResponseEnd: () => {
          const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
          if (status >= 400) return done(this.statusError(status, headers, text));
          try {
            done(null, JSON.parse(text));
          } catch (err) {
            done(modelFailure(this.o.model, 'malformed_response', `malformed response from ${this.where} (${(err as Error).message})`, {}, err));
          }
        },
        onResponseError: (_c, err) => done(signal?.aborted ? (signal.reason ?? err) : networkFailure(this.o.model, this.where, err)),
      };
      try {
        this.pool.dispatch({ method: 'POST', path: this.pathOf(path), headers: { ...this.o.headers, 'content-type': 'application/json', accept: 'application/json' }, body }, handler);
      } catch (err) {
        done(networkFailure(this.o.model, this.where, err));
      }
    });
  }

  /** POST with `stream: true` and yield each SSE `data:` payload parsed as JSON, until [DONE] or the end. */
  async *postEvents(path: string, payload: unknown, signal?: AbortSignal): AsyncGenerator<unknown> {
    const res = await this.send(path, payload, signal, 'text/event-stream');
    if (res.statusCode >= 400) throw this.statusError(res.statusCode, res.headers, await this.readAll(res, signal));
    const body = res.body;
    body.setEncoding('utf8');
    let buffer = '';
    let data: string[] = [];
    let ended = false;
    // At [DONE] the answer is complete and the call returns at once, but the body is not cut: its end
    // (normally already on the way) is read in the background, so undici keeps the keep-alive connection
    // and no abort error (with its stack trace) is made per stream. A body still open DONE_GRACE_MS later
    // is cut then.
    let done = false;
    try {
      for await (const piece of body.iterator({ destroyOnReturn: false }) as AsyncIterable<string>) {
        buffer += piece;
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          let line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          if (line.endsWith('\r')) line = line.slice(0, -1);
          if (line === '') {
            if (!data.length) continue;
            const event = data.join('\n');
            data = [];
            if (event === '[DONE]') {
              done = true;
              return;
            }
            yield this.parseEvent(event);
          } else if (line.startsWith('data:')) data.push(line.slice(line[5] === ' ' ? 6 : 5));
          // comments (":"), event:, id:, retry: lines carry nothing the chat protocol needs
        }
        if (buffer.length > this.maxBytes) throw modelFailure(this.o.model, 'malformed_response', `an SSE event from ${this.where} is larger than ${this.maxBytes} bytes`);
      }
      ended = true;
    } catch (err) {
      if (signal?.aborted) throw signal.reason ?? err;
      if (err instanceof HiragaError) throw err;
      throw networkFailure(this.o.model, this.where, err);
    } finally {
      if (done && !body.readableEnded) drainAfterDone(body);
      else if (!ended) body.destroy();
    }
    if (data.length) {
      const event = data.join('\n');
      if (event !== '[DONE]') yield this.parseEvent(event);
    }
  }

  close(): void {
    void this.pool.destroy().catch(() => {});
  }

  private parseEvent(event: string): unknown {
    try {
      return JSON.parse(event);
    } catch (err) {
      throw modelFailure(this.o.model, 'malformed_response', `malformed stream event from ${this.where} (${(err as Error).message})`, {}, err);
    }
  }

  /** `path` resolved against baseUrl, keeping baseUrl's query (e.g. an api-version parameter). */
  private pathOf(path: string): string {
    let p = this.paths.get(path);
    if (p === undefined) {
      const u = new URL(path, this.base);
      p = u.pathname + this.base.search;
      this.paths.set(path, p);
    }
    return p;
  }

  /** Send the request; resolves when the response headers arrive. */
  private async send(path: string, payload: unknown, signal: AbortSignal | undefined, accept = 'application/json'): Promise<Dispatcher.ResponseData> {
    const body = JSON.stringify(payload);
    try {
      return await this.pool.request({
        method: 'POST',
        path: this.pathOf(path),
        headers: { ...this.o.headers, 'content-type': 'application/json', accept },
        body,
        ...(signal ? { signal } : {}),
      });
    } catch (err) {
      if (signal?.aborted) throw signal.reason ?? err;
      throw networkFailure(this.o.model, this.where, err);
    }
  }

  private async readAll(res: Dispatcher.ResponseData, signal: AbortSignal | undefined): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const c of res.body as AsyncIterable<Buffer>) {
        size += c.length;
        if (size > this.maxBytes) {
          res.body.destroy();
          throw modelFailure(this.o.model, 'malformed_response', `the response from ${this.where} is larger than ${this.maxBytes} bytes`);
        }
        chunks.push(c);
      }
    } catch (err) {
      if (signal?.aborted) throw signal.reason ?? err;
      if (err instanceof HiragaError) throw err;
      throw networkFailure(this.o.model, this.where, err);
    }
    return chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
  }

  private statusError(statusCode: number, responseHeaders: Record<string, string | string[] | undefined>, text: string) {
    let message = text;
    try {
      const j = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
      const m = typeof j.error === 'string' ? j.error : (j.error?.message ?? j.message);
      if (typeof m === 'string') message = m;
    } catch {
      /* not JSON: the text itself */
    }
    const headers = { get: (name: string) => (responseHeaders[name] as string | undefined) ?? null };
    return statusFailure(this.o.model, this.where, statusCode, message || `HTTP ${statusCode}`, parseRetryAfter(headers));
  }
}
