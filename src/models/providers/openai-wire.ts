import { Pool, type Dispatcher } from 'undici';
import { extend } from '../../core/objects.js';
import { modelFailure, networkFailure, parseRetryAfter, statusFailure, type UpstreamErrorFields } from '../failure.js';
import { SseParser } from './sse-parser.js';

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

/** Unread events past which the connection to the model server is paused (back-pressure from a slow client). */
const EVENTS_HIGH_WATER = 64;

/** A request handed to undici: its controller once started, and `unhook()`, which detaches the caller's signal and forgets the controller (take it first if it is still needed). */
interface DispatchedCall {
  controller(): Dispatcher.DispatchController | null;
  unhook(): void;
}

export class OpenAiWire {
  private readonly base: URL;
  private readonly pool: Pool;
  private readonly maxBytes: number;
  private readonly paths = new Map<string, string>();
  /** The request headers for each Accept value, built once (undici only reads them). */
  private readonly headers = new Map<string, Record<string, string>>();

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

  private headersFor(accept: string): Record<string, string> {
    let h = this.headers.get(accept);
    if (!h) this.headers.set(accept, (h = extend(this.o.headers, { 'content-type': 'application/json', accept })));
    return h;
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
      // What the call holds lives in `st`, which is dropped once it settles: see `post` on why nothing should
      // stay reachable from the handler after the reply.
      let st: { chunks: Buffer[]; size: number; status: number; headers: Record<string, string | string[] | undefined>; call: DispatchedCall | null; resolve(v: unknown): void; reject(err: unknown): void } | null = {
        chunks: [],
        size: 0,
        status: 0,
        headers: {},
        call: null,
        resolve,
        reject,
      };
      const done = (err: unknown, value?: unknown) => {
        const s = st;
        if (!s) return;
        st = null;
        s.call?.unhook();
        if (err) s.reject(err);
        else s.resolve(value);
      };
      const call = this.post(path, body, 'application/json', signal, done, {
        onResponseStart: (_c, statusCode, h) => {
          if (!st) return;
          st.status = statusCode;
          st.headers = h;
        },
        onResponseData: (c, chunk) => {
          if (!st) return;
          st.size += chunk.length;
          if (st.size > this.maxBytes) {
            done(this.tooLarge());
            c.abort(new Error('response too large'));
            return;
          }
          st.chunks.push(chunk);
        },
        onResponseEnd: () => {
          if (!st) return;
          const { chunks, status, headers } = st;
          const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
          if (status >= 400) return done(this.statusError(status, headers, text));
          try {
            done(null, JSON.parse(text));
          } catch (err) {
            done(modelFailure(this.o.model, 'malformed_response', `malformed response from ${this.where} (${(err as Error).message})`, {}, err));
          }
        },
      });
      if (st) st.call = call;
      else call.unhook(); // failed as it was dispatched
    });
  }

  /**
   * POST with `stream: true` and yield each SSE `data:` payload parsed as JSON, until [DONE] or the end.
   *
   * Through the dispatch API, like postJson: undici hands each chunk to the handler, which parses it into
   * events for this generator to yield. No body stream or async iterator sits in between (in a CPU profile of
   * 1,000 concurrent streams, the body stream and its iterator were about a third of this client's work).
   * Back-pressure: past EVENTS_HIGH_WATER unread events the connection is paused until they are read.
   */
  async *postEvents(path: string, payload: unknown, signal?: AbortSignal): AsyncGenerator<unknown> {
    if (signal?.aborted) throw signal.reason;
    const parser = new SseParser();
    const events: string[] = [];
    let next = 0;
    let status = 0;
    let headers: Record<string, string | string[] | undefined> = {};
    /** The body of an error status (≥ 400), read whole for its message; an event stream is bounded per event instead. */
    let errorChunks: Buffer[] | null = null;
    let errorSize = 0;
    /** The body ended, or the request failed: nothing more will arrive. */
    let ended = false;
    /** [DONE] arrived: the answer is complete. */
    let done = false;
    let failure: unknown = null;
    let wake: (() => void) | null = null;
    let grace: NodeJS.Timeout | null = null;
    const notify = () => {
      const w = wake;
      wake = null;
      w?.();
    };
    const finish = (err: unknown) => {
      if (ended) return;
      ended = true;
      if (err) failure ??= err;
      if (grace) clearTimeout(grace);
      notify();
    };
    const take = (fresh: number) => {
      for (let i = fresh; i < events.length; i++) {
        if (events[i] === '[DONE]') {
          done = true;
          events.length = i; // what follows [DONE] is not part of the answer
          break;
        }
      }
    };
    const call = this.post(path, JSON.stringify(payload), 'text/event-stream', signal, finish, {
      onResponseStart: (_c, statusCode, h) => {
        status = statusCode;
        headers = h;
        if (statusCode >= 400) errorChunks = [];
      },
      onResponseData: (c, chunk) => {
        if (done) return; // the rest of the body after [DONE] is read to its end and dropped (the connection is kept)
        if (errorChunks) {
          errorSize += chunk.length;
          if (errorSize > this.maxBytes) {
            finish(this.tooLarge());
            c.abort(new Error('response too large'));
          } else errorChunks.push(chunk);
          return;
        }
        const before = events.length;
        parser.push(chunk, events);
        if (parser.pending > this.maxBytes) {
          finish(modelFailure(this.o.model, 'malformed_response', `an SSE event from ${this.where} is larger than ${this.maxBytes} bytes`));
          c.abort(new Error('event too large'));
          return;
        }
        if (events.length === before) return;
        take(before);
        if (events.length - next >= EVENTS_HIGH_WATER && !done) c.pause();
        notify();
      },
      onResponseEnd: () => {
        if (errorChunks) {
          const text = Buffer.concat(errorChunks).toString('utf8');
          return finish(this.statusError(status, headers, text));
        }
        if (!done) {
          const before = events.length;
          parser.end(events);
          take(before);
        }
        finish(null);
      },
    });
    try {
      for (;;) {
        // A cancelled call stops at once; a failed one after the events that came before the failure.
        if (failure !== null && (signal?.aborted || next === events.length)) throw failure;
        if (next < events.length) {
          const event = events[next++]!;
          if (next === events.length) {
            events.length = 0;
            next = 0;
          }
          const ctl = call.controller();
          if (ctl?.paused && events.length - next < EVENTS_HIGH_WATER / 2) ctl.resume();
          yield this.parseEvent(event);
          continue;
        }
        if (done || ended) return;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    } finally {
      const ctl = call.controller();
      call.unhook();
      if (!ended) {
        if (done) {
          // At [DONE] the call returns at once, but the body is not cut: its end (normally already on the way)
          // is read and dropped, so undici keeps the keep-alive connection and no abort error (with its stack
          // trace) is made per stream. A body still open DONE_GRACE_MS later is cut then.
          ctl?.resume();
          grace = setTimeout(() => ctl?.abort(new Error('the stream did not end after [DONE]')), DONE_GRACE_MS);
          grace.unref();
        } else ctl?.abort(new Error('stopped'));
      }
    }
  }

  /**
   * POST `body` to `path` with `handler`, the caller's cancellation wired in: aborting `signal` aborts the
   * request (also one not started yet), and every transport failure reaches `fail` as the error to report
   * (the signal's reason once cancelled, else a network failure naming the model). `unhook()` detaches the
   * signal once the call is over.
   */
  private post(path: string, body: string, accept: string, signal: AbortSignal | undefined, fail: (err: unknown) => void, handler: Dispatcher.DispatchHandler): DispatchedCall {
    // `unhook()` also forgets the controller. Something in the old generation keeps the handler reachable for
    // a while after the reply (not identified; a handler that captured nothing did not show it), and
    // whatever the handler reaches then survives young-generation collections: with the controller (its
    // raw headers, undici's request) and the reply's chunks held, 0.85 MB survived each scavenge at 500
    // req/s in bench:gateway's setting and a scavenge paused the event loop 4.4 ms (median); see
    // docs/gateway-benchmark.md, 2026-12-03 15:50.
    let controller: Dispatcher.DispatchController | null = null;
    const onAbort = () => controller?.abort(signal!.reason instanceof Error ? signal!.reason : new Error('aborted'));
    signal?.addEventListener('abort', onAbort, { once: true });
    handler.onRequestStart = (c) => {
      controller = c;
      if (signal?.aborted) onAbort();
    };
    handler.onResponseError = (_c, err) => fail(signal?.aborted ? (signal.reason ?? err) : networkFailure(this.o.model, this.where, err));
    try {
      this.pool.dispatch({ method: 'POST', path: this.pathOf(path), headers: this.headersFor(accept), body }, handler);
    } catch (err) {
      fail(networkFailure(this.o.model, this.where, err));
    }
    return {
      controller: () => controller,
      unhook: () => {
        signal?.removeEventListener('abort', onAbort);
        controller = null;
      },
    };
  }

  private tooLarge() {
    return modelFailure(this.o.model, 'malformed_response', `the response from ${this.where} is larger than ${this.maxBytes} bytes`);
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

  private statusError(statusCode: number, responseHeaders: Record<string, string | string[] | undefined>, text: string) {
    let message = text;
    let fields: UpstreamErrorFields = {};
    try {
      const j = JSON.parse(text) as { error?: { message?: unknown; code?: unknown; param?: unknown } | string; message?: unknown };
      const m = typeof j.error === 'string' ? j.error : (j.error?.message ?? j.message);
      if (typeof m === 'string') message = m;
      if (j.error && typeof j.error === 'object') fields = { code: j.error.code, param: j.error.param };
    } catch {
      /* not JSON: the text itself */
    }
    const headers = { get: (name: string) => (responseHeaders[name] as string | undefined) ?? null };
    return statusFailure(this.o.model, this.where, statusCode, message || `HTTP ${statusCode}`, parseRetryAfter(headers), fields);
  }
}
