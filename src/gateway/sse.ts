import { ServerResponse } from 'node:http';
import type { Http2Bindings, HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Context } from 'hono';
import { extend } from '../core/objects.js';

const encoder = new TextEncoder();

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
};

/** `data: {json}\n\n` (and `event: name` when given). */
export function sseEvent(data: unknown, event?: string): string {
  return `${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
}

/** An event stream a route handed to the Node server to write itself (see writeHandedOver). */
interface HandedOver {
  events: AsyncIterator<string>;
  onEnd: () => void;
}

/** Keyed by the Node response it goes out on: one per request, and nothing is kept once the response is gone. */
const handedOver = new WeakMap<ServerResponse, HandedOver>();
/** Responses served through withHandedOverStreams: only there is a handed-over stream written (elsewhere it would never start). */
const writers = new WeakSet<ServerResponse>();

/**
 * A streaming response pulled from an async iterator: one event per pull, so a slow client slows
 * the model stream (back-pressure) and a client that goes away cancels it (`return()` on the iterator).
 *
 * On the Node server (`c.env.outgoing`, served through withHandedOverStreams), the route answers with the
 * headers only and the server writes the events straight to the socket (writeHandedOver): no web
 * ReadableStream, no encoding to bytes and no reader loop per event. In a CPU profile of 1,000 concurrent
 * streams that machinery was ~10% of the gateway's work. Elsewhere (app.request, or a server without
 * withHandedOverStreams) the body is a web ReadableStream over the same events.
 */
export function sseResponse(c: Context, events: AsyncIterator<string>, headers: Record<string, string> = {}, onEnd: () => void = () => {}): Response {
  let ended = false;
  const end = () => {
    if (!ended) {
      ended = true;
      onEnd();
    }
  };
  const outgoing = (c.env as { outgoing?: unknown } | undefined)?.outgoing;
  if (outgoing instanceof ServerResponse && writers.has(outgoing)) {
    handedOver.set(outgoing, { events, onEnd: end });
    return new Response(null, { status: 200, headers: extend(SSE_HEADERS, headers) });
  }
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await events.next();
        if (done) {
          controller.close();
          end();
        } else controller.enqueue(encoder.encode(value));
      } catch (err) {
        end();
        controller.error(err);
      }
    },
    async cancel() {
      end();
      await events.return?.();
    },
  });
  return new Response(body, { status: 200, headers: extend(SSE_HEADERS, headers) });
}

/**
 * The server's half of sseResponse: when a route handed over an event stream for `outgoing` and `res`
 * (the response after every middleware, with the headers they added) is still that stream's response,
 * write the headers and the events to `outgoing` and return true; the server then sends nothing itself.
 * When a middleware answered with something else after the route, the stream is stopped and false is
 * returned, so `res` goes out as usual.
 */
export function writeHandedOver(res: Response, outgoing: ServerResponse): boolean {
  const s = handedOver.get(outgoing);
  if (!s) return false;
  handedOver.delete(outgoing);
  if (res.status !== 200 || !res.headers.get('content-type')?.startsWith('text/event-stream')) {
    void stop(s);
    return false;
  }
  const headers: Record<string, string> = {};
  res.headers.forEach((v, k) => {
    headers[k] = v;
  });
  // Headers are not flushed alone: Node sends them with the first event, in one write.
  outgoing.writeHead(200, headers);
  void pump(s, outgoing);
  return true;
}

type Fetch = (req: Request, env: HttpBindings | Http2Bindings) => Response | Promise<Response>;

/** The app's fetch for the Node server, with the event streams routes hand over written by writeHandedOver (after every middleware). */
export function withHandedOverStreams(fetch: Fetch): Fetch {
  return (req, env) => {
    const out = env.outgoing;
    if (!(out instanceof ServerResponse)) return fetch(req, env);
    writers.add(out);
    const res = fetch(req, env);
    const settle = (r: Response) => (writeHandedOver(r, out) ? RESPONSE_ALREADY_SENT : r);
    return res instanceof Promise ? res.then(settle) : settle(res);
  };
}

/**
 * End a stream that will not be written. An async generator not yet started skips its `finally` on
 * `return()`, and the route's generator releases the model call there, so it is started first: the one
 * event it makes is dropped.
 */
async function stop(s: HandedOver): Promise<void> {
  try {
    await s.events.next();
    await s.events.return?.();
  } catch {
    /* the stream failed as it stopped: nothing is waiting for it */
  } finally {
    s.onEnd();
  }
}

/** Write each event as it comes; wait for 'drain' when the socket's buffer is full; stop when the client goes away. */
async function pump(s: HandedOver, out: ServerResponse): Promise<void> {
  let closed = false;
  let wake: (() => void) | null = null;
  const onClose = () => {
    closed = true;
    wake?.();
  };
  out.once('close', onClose);
  let complete = false;
  try {
    for (;;) {
      const { value, done } = await s.events.next();
      if (done) {
        complete = true;
        break;
      }
      if (closed) break;
      if (!out.write(value)) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          out.once('drain', resolve);
        });
        out.off('drain', wake!);
        wake = null;
        if (closed) break;
      }
    }
    if (!closed) out.end();
  } catch (err) {
    out.destroy(err as Error);
  } finally {
    out.off('close', onClose);
    // Stopped early (the client went away): end the events, which cancels the model call behind them.
    if (!complete) await Promise.resolve(s.events.return?.()).catch(() => {});
    s.onEnd();
  }
}
