import http from 'node:http';
import https from 'node:https';

/**
 * A `fetch` for the `openai` client over node:http with one keep-alive agent per provider.
 *
 * Node's built-in fetch (undici) costs several times more CPU per call than node:http (Request/Headers
 * objects, web streams for the body both ways); on the gateway's hot path that was the largest single
 * cost of a model call. This covers what the client sends (string or byte bodies) and behaves like
 * fetch where the client looks: it resolves at the response headers, rejects with `TypeError('fetch
 * failed', { cause })` on network errors and with the signal's AbortError when aborted, and a body
 * cut short errors with `TypeError('terminated')`. Anything else (stream bodies, ports fetch refuses)
 * goes to the global fetch.
 */
export interface HttpFetch {
  fetch: typeof globalThis.fetch;
  close(): void;
}

/** Ports the fetch standard blocks (https://fetch.spec.whatwg.org/#port-blocking): left to the global fetch, which refuses them. */
const BAD_PORTS = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389,
  427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566,
  6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

const abortError = (signal: AbortSignal): unknown => signal.reason ?? new DOMException('This operation was aborted', 'AbortError');

function headerPairs(h: HeadersInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!h) return out;
  if (h instanceof Headers || Array.isArray(h)) {
    for (const [k, v] of h as Iterable<[string, string]>) out[k] = v;
    return out;
  }
  for (const k of Object.keys(h)) {
    const v = (h as Record<string, string | undefined>)[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}

function responseHeaders(raw: string[]): Headers {
  const headers = new Headers();
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  return headers;
}

export function createHttpFetch(options: { maxSockets?: number } = {}): HttpFetch {
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? Infinity, scheduling: 'lifo' as const };
  const httpAgent = new http.Agent(agentOptions);
  const httpsAgent = new https.Agent(agentOptions);

  const fetch = ((input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const body = init.body;
    const url = typeof input === 'string' ? new URL(input) : input instanceof URL ? input : null;
    const simpleBody = body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array;
    if (!url || !simpleBody || (url.protocol !== 'http:' && url.protocol !== 'https:') || (url.port && BAD_PORTS.has(Number(url.port)))) {
      return globalThis.fetch(input, init);
    }
    const signal = init.signal ?? undefined;
    if (signal?.aborted) return Promise.reject(abortError(signal));
    const isHttps = url.protocol === 'https:';
    const headers = headerPairs(init.headers);
    const payload = typeof body === 'string' ? Buffer.from(body) : (body as Uint8Array | null | undefined);
    if (payload) headers['content-length'] = String(payload.byteLength);

    return new Promise<Response>((resolve, reject) => {
      let settled = false;
      let res: http.IncomingMessage | undefined;
      let failBody: ((err: unknown) => void) | undefined;
      const onAbort = () => {
        const err = abortError(signal!);
        // Report the abort first: destroying the response emits 'aborted' synchronously.
        if (!settled) {
          settled = true;
          reject(err);
        } else failBody?.(err);
        req.destroy();
        res?.destroy();
      };
      const done = () => signal?.removeEventListener('abort', onAbort);
      const req = (isHttps ? https : http).request(
        url,
        { method: init.method ?? 'GET', headers, agent: isHttps ? httpsAgent : httpAgent },
        (incoming) => {
          res = incoming;
          const status = incoming.statusCode ?? 0;
          const statusText = incoming.statusMessage ?? '';
          const rh = responseHeaders(incoming.rawHeaders);
          if (NULL_BODY_STATUS.has(status) || init.method === 'HEAD') {
            incoming.resume();
            incoming.on('end', done);
            settled = true;
            resolve(new Response(null, { status, statusText, headers: rh }));
            return;
          }
          const streaming = (rh.get('content-type') ?? '').includes('text/event-stream');
          if (streaming) {
            // Pull-based: the socket is read only as fast as the client consumes.
            let controller!: ReadableStreamDefaultController<Uint8Array>;
            let closed = false;
            const stream = new ReadableStream<Uint8Array>(
              {
                start(c) {
                  controller = c;
                },
                pull() {
                  incoming.resume();
                },
                cancel() {
                  closed = true;
                  done();
                  incoming.destroy();
                },
              },
              { highWaterMark: 0 },
            );
            failBody = (err) => {
              if (closed) return;
              closed = true;
              done();
              controller.error(err);
            };
            incoming.on('data', (chunk: Buffer) => {
              if (closed) return;
              controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
              if ((controller.desiredSize ?? 0) <= 0) incoming.pause();
            });
            incoming.on('end', () => {
              if (closed) return;
              closed = true;
              done();
              controller.close();
            });
            incoming.on('error', (err) => failBody!(new TypeError('terminated', { cause: err })));
            incoming.on('aborted', () => failBody!(new TypeError('terminated', { cause: new Error('other side closed') })));
            incoming.on('close', () => {
              if (!incoming.complete) failBody!(new TypeError('terminated', { cause: new Error('other side closed') }));
            });
            incoming.pause();
            settled = true;
            resolve(new Response(stream, { status, statusText, headers: rh }));
            return;
          }
          // Plain bodies are small JSON: collect them, then hand over a Response with the bytes.
          const chunks: Buffer[] = [];
          let failed = false;
          const fail = (err: unknown) => {
            if (failed || settled) return;
            failed = true;
            done();
            settled = true;
            // Like fetch: the headers arrived, so the response resolves and reading its body fails.
            const broken = new ReadableStream<Uint8Array>({ start: (c) => c.error(err) });
            resolve(new Response(broken, { status, statusText, headers: rh }));
          };
          failBody = (err) => {
            if (!settled) {
              settled = true;
              done();
              reject(err);
            }
          };
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('end', () => {
            if (settled) return;
            settled = true;
            done();
            const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
            resolve(new Response(new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength), { status, statusText, headers: rh }));
          });
          incoming.on('error', (err) => fail(new TypeError('terminated', { cause: err })));
          incoming.on('close', () => {
            if (!incoming.complete) fail(new TypeError('terminated', { cause: new Error('other side closed') }));
          });
        },
      );
      req.on('error', (err) => {
        if (settled) return failBody?.(new TypeError('terminated', { cause: err }));
        settled = true;
        done();
        reject(signal?.aborted ? abortError(signal) : new TypeError('fetch failed', { cause: err }));
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      req.end(payload ?? undefined);
    });
  }) as typeof globalThis.fetch;

  return {
    fetch,
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}
