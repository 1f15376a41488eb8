/**
 * A small, deterministic OpenAI-compatible server on 127.0.0.1 for tests and benches.
 *
 * It is NOT a model: its default reply is the last user message prefixed with "echo: ", so a test
 * can always tell what the server saw. Behaviours can be queued per request (`script`) to produce
 * 429/5xx/401 replies, malformed bodies, streams cut mid-way and slow responses.
 *
 *   const up = await startUpstream();
 *   up.script([{ status: 429, retryAfter: 1 }, 'ok']);
 *   // point a model at up.url (ends with /v1); inspect up.requests afterwards; await up.close();
 *
 * Run standalone: `node --import tsx test/helpers/upstream.ts [--port 9101] [--chunk-delay-ms 0]`.
 */
import http from 'node:http';
import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

/** What the server does with the next POST request (chat completions or embeddings). */
export type Behaviour =
  | 'ok'
  /** Reply with this HTTP status; `body` defaults to an OpenAI-style error object; `retryAfter` in seconds. */
  | { status: number; body?: unknown; retryAfter?: number }
  /** 200 with a body that is not valid JSON (plain) or a broken SSE event (stream). */
  | 'malformed'
  /** Stream: send the first chunks, then destroy the connection without [DONE]. Plain: destroy before replying. */
  | 'cut-stream'
  /** Close the connection without any reply: what a client sees when the server's keep-alive timer fires as its call arrives. */
  | 'drop'
  /** Wait, then behave as `then` (default 'ok'). Aborts quietly when the client goes away. */
  | { delayMs: number; then?: Behaviour }
  /** Reply 200 with exactly this assistant content instead of the echo (and this finish_reason, default stop). */
  | { content: string; finishReason?: string }
  /** Stream: send everything up to [DONE], then keep the response open this long before ending it. */
  | { holdAfterDoneMs: number }
  /**
   * Call these functions (finish_reason tool_calls), with `content` as text besides (default none). A stream
   * sends each call's id and name first, then its arguments in three fragments, as OpenAI does; `id: null`
   * leaves the id out, as some servers do.
   */
  | { toolCalls: Array<{ name: string; arguments: string; id?: string | null }>; content?: string }
  /**
   * Stream: the first half of the text (none with `atStart`), then an error event `data: {"error":{…}}` and
   * [DONE], as vLLM and others report a failure after the headers are gone. Plain: a 500 with that error.
   */
  | { streamError: string; atStart?: boolean; errorType?: 'server_error' | 'invalid_request_error' }
  /** The model declines: `message.content` null and `message.refusal` this text (streamed as `delta.refusal`). */
  | { refusal: string };

export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. /v1/chat/completions. */
  path: string;
  /** The query string as sent ('' when none), e.g. ?api-version=2024-10-21. */
  query: string;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON body (or the raw text when it was not JSON; null for GET). */
  body: any;
  at: number;
}

export interface UpstreamOptions {
  /** Port to listen on; 0 (default) = any free port. */
  port?: number;
  /** Model ids reported by /v1/models (default ['upstream-model']). */
  models?: string[];
  /** Require `Authorization: Bearer <apiKey>`; otherwise 401. */
  apiKey?: string;
  /** Derive the reply from the request (default: "echo: " + last user message). */
  reply?: (body: any) => string;
  /** Delay between streamed chunks (default 0). */
  chunkDelayMs?: number;
  /** Dimension of /v1/embeddings vectors (default 64). */
  embeddingDim?: number;
  /** Ignore a request's `dimensions` (as servers whose models cannot shorten their vectors do). */
  ignoreDimensions?: boolean;
}

export interface Upstream {
  /** Base URL ending with /v1, e.g. http://127.0.0.1:40123/v1 */
  url: string;
  port: number;
  /** Every request received, in order: check what left the process. */
  requests: RecordedRequest[];
  /** TCP connections accepted so far (keep-alive reuse shows as fewer connections than requests). */
  connections(): number;
  /** Queue behaviours for the next POST requests, one per request; when the queue is empty: 'ok'. */
  script(behaviours: Behaviour | Behaviour[]): void;
  close(): Promise<void>;
}

/** The deterministic default reply: echo of the last user message. */
export function echoReply(body: any): string {
  const messages: any[] = Array.isArray(body?.messages) ? body.messages : [];
  const lastUser = [...messages].reverse().find((m) => m?.role === 'user');
  const text = typeof lastUser?.content === 'string' ? lastUser.content : JSON.stringify(lastUser?.content ?? '');
  return `echo: ${text}`;
}

/** Split a reply into stream pieces: words with their leading space, long runs cut every 4 characters. */
export function streamPieces(text: string): string[] {
  const out: string[] = [];
  for (const word of text.match(/\s*\S+|\s+/g) ?? []) {
    const chars = Array.from(word);
    for (let i = 0; i < chars.length; i += 4) out.push(chars.slice(i, i + 4).join(''));
  }
  return out;
}

/** A deterministic embedding: hashed character bigrams, L2-normalised. */
export function bigramVector(text: string, dim = 64): number[] {
  const v = new Array<number>(dim).fill(0);
  const chars = Array.from(text);
  const grams = chars.length < 2 ? chars : chars.slice(0, -1).map((c, i) => c + chars[i + 1]);
  for (const g of grams) {
    const h = crypto.createHash('md5').update(g).digest();
    v[h.readUInt32LE(0) % dim]! += h[4]! & 1 ? 1 : -1;
  }
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}

const countTokens = (text: string) => Array.from(text).length;
const finishOf = (b: Behaviour) => (typeof b === 'object' && 'content' in b && 'finishReason' in b && b.finishReason) || 'stop';

export async function startUpstream(opts: UpstreamOptions = {}): Promise<Upstream> {
  const models = opts.models ?? ['upstream-model'];
  const reply = opts.reply ?? echoReply;
  const requests: RecordedRequest[] = [];
  const queue: Behaviour[] = [];

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: any = null;
      if (raw) {
        try {
          body = JSON.parse(raw);
        } catch {
          body = raw;
        }
      }
      const url = req.url ?? '/';
      const path = url.split('?')[0]!;
      const query = url.includes('?') ? url.slice(url.indexOf('?')) : '';
      requests.push({ method: req.method ?? 'GET', path, query, headers: req.headers, body, at: Date.now() });
      void handle(req.method ?? 'GET', path, req.headers, body, res).catch(() => res.destroy());
    });
  });

  async function handle(method: string, path: string, headers: http.IncomingHttpHeaders, body: any, res: http.ServerResponse): Promise<void> {
    if (opts.apiKey && headers.authorization !== `Bearer ${opts.apiKey}`) {
      return sendJson(res, 401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } });
    }
    if (method === 'GET' && path === '/v1/models') {
      return sendJson(res, 200, { object: 'list', data: models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'hiraga-test-upstream' })) });
    }
    if (method !== 'POST' || (path !== '/v1/chat/completions' && path !== '/v1/embeddings')) {
      return sendJson(res, 404, { error: { message: `no route ${method} ${path}`, type: 'not_found' } });
    }
    if (body === null || typeof body !== 'object') {
      return sendJson(res, 400, { error: { message: 'body must be a JSON object', type: 'invalid_request_error' } });
    }
    let b: Behaviour = queue.shift() ?? 'ok';
    if (b === 'drop') return void res.socket?.destroy();
    while (typeof b === 'object' && 'delayMs' in b) {
      const closed = await waitOrClose(res, b.delayMs);
      if (closed) return;
      b = b.then ?? 'ok';
    }
    if (typeof b === 'object' && 'status' in b) {
      if (b.retryAfter !== undefined) res.setHeader('retry-after', String(b.retryAfter));
      return sendJson(res, b.status, b.body ?? { error: { message: `scripted status ${b.status}`, type: b.status >= 500 ? 'server_error' : 'invalid_request_error' } });
    }
    if (path === '/v1/embeddings') return embeddings(body, b, res);
    if (typeof b === 'object' && 'toolCalls' in b) return toolReply(body, b, res);
    if (typeof b === 'object' && 'refusal' in b) return refusalReply(body, b.refusal, res);
    if (typeof b === 'object' && 'streamError' in b && !body.stream) return sendJson(res, 500, { error: { message: b.streamError, type: 'server_error' } });
    const content = typeof b === 'object' && 'content' in b ? b.content : reply(body);
    return body.stream ? stream(body, content, b, res) : plain(body, content, b, res);
  }

  function usageFor(body: any, content: string) {
    const prompt = (Array.isArray(body.messages) ? body.messages : []).reduce((n: number, m: any) => n + countTokens(String(m?.content ?? '')), 0);
    const completion = streamPieces(content).length;
    return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
  }

  function plain(body: any, content: string, b: Behaviour, res: http.ServerResponse): void {
    if (b === 'cut-stream') return void res.destroy();
    if (b === 'malformed') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end('{"id":"chatcmpl-broken","choices":[{"message":');
    }
    sendJson(res, 200, {
      id: `chatcmpl-${requests.length}`,
      object: 'chat.completion',
      created: 0,
      model: String(body.model ?? models[0]),
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finishOf(b) }],
      usage: usageFor(body, content),
    });
  }

  async function stream(body: any, content: string, b: Behaviour, res: http.ServerResponse): Promise<void> {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const id = `chatcmpl-${requests.length}`;
    const model = String(body.model ?? models[0]);
    const event = (choices: unknown[], extra: Record<string, unknown> = {}) =>
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 0, model, choices, ...extra })}\n\n`;
    if (b === 'malformed') {
      res.write(event([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]));
      return void res.end('data: {"id":"broken","choices":[{"delta":\n\n');
    }
    res.write(event([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]));
    const pieces = streamPieces(content);
    const failing = typeof b === 'object' && 'streamError' in b ? b : undefined;
    const cutAt = b === 'cut-stream' || failing ? (failing?.atStart ? 0 : Math.max(1, Math.floor(pieces.length / 2))) : Infinity;
    for (let i = 0; i < pieces.length; i++) {
      if (i >= cutAt && failing) return void res.end(`data: ${JSON.stringify({ error: { message: failing.streamError, type: failing.errorType ?? 'server_error', code: failing.errorType === 'invalid_request_error' ? 400 : 500 } })}\n\ndata: [DONE]\n\n`);
      if (i >= cutAt) return cut(res);
      if (opts.chunkDelayMs && (await waitOrClose(res, opts.chunkDelayMs))) return;
      if (res.destroyed) return;
      res.write(event([{ index: 0, delta: { content: pieces[i] }, finish_reason: null }]));
    }
    if (b === 'cut-stream') return cut(res);
    res.write(event([{ index: 0, delta: {}, finish_reason: finishOf(b) }]));
    if (body.stream_options?.include_usage) res.write(event([], { usage: usageFor(body, content) }));
    if (typeof b === 'object' && 'holdAfterDoneMs' in b) {
      res.write('data: [DONE]\n\n');
      if (await waitOrClose(res, b.holdAfterDoneMs)) return;
      return void res.end();
    }
    res.end('data: [DONE]\n\n');
  }

  function refusalReply(body: any, refusal: string, res: http.ServerResponse): void {
    const id = `chatcmpl-${requests.length}`;
    const model = String(body.model ?? models[0]);
    const usage = usageFor(body, refusal);
    if (!body.stream) {
      return sendJson(res, 200, { id, object: 'chat.completion', created: 0, model, choices: [{ index: 0, message: { role: 'assistant', content: null, refusal }, finish_reason: 'stop' }], usage });
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const event = (delta: unknown, finish: string | null = null) => `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 0, model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    res.write(event({ role: 'assistant', content: null, refusal: '' }));
    for (const piece of streamPieces(refusal)) res.write(event({ refusal: piece }));
    res.write(event({}, 'stop'));
    res.end('data: [DONE]\n\n');
  }

  function toolReply(body: any, b: Extract<Behaviour, { toolCalls: unknown }>, res: http.ServerResponse): void {
    const id = `chatcmpl-${requests.length}`;
    const model = String(body.model ?? models[0]);
    const calls = b.toolCalls.map((t, i) => ({ ...(t.id === null ? {} : { id: t.id ?? `call_${requests.length}_${i}` }), type: 'function', function: { name: t.name, arguments: t.arguments } }));
    const usage = usageFor(body, b.content ?? '');
    if (!body.stream) {
      return sendJson(res, 200, { id, object: 'chat.completion', created: 0, model, choices: [{ index: 0, message: { role: 'assistant', content: b.content ?? null, tool_calls: calls }, finish_reason: 'tool_calls' }], usage });
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const event = (delta: unknown, finish: string | null = null) => `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 0, model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    res.write(event({ role: 'assistant', content: b.content ?? null }));
    calls.forEach((c, index) => {
      res.write(event({ tool_calls: [{ index, ...('id' in c ? { id: c.id } : {}), type: 'function', function: { name: c.function.name, arguments: '' } }] }));
      const a = Array.from(c.function.arguments);
      const third = Math.ceil(a.length / 3);
      for (let k = 0; k < a.length; k += third) res.write(event({ tool_calls: [{ index, function: { arguments: a.slice(k, k + third).join('') } }] }));
    });
    res.write(event({}, 'tool_calls'));
    if (body.stream_options?.include_usage) res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 0, model, choices: [], usage })}\n\n`);
    res.end('data: [DONE]\n\n');
  }

  function embeddings(body: any, b: Behaviour, res: http.ServerResponse): void {
    if (b === 'cut-stream') return void res.destroy();
    if (b === 'malformed') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end('{"data":[{"embedding":[0.1,');
    }
    const inputs: string[] = Array.isArray(body.input) ? body.input.map(String) : [String(body.input ?? '')];
    const tokens = inputs.reduce((n, t) => n + countTokens(t), 0);
    sendJson(res, 200, {
      object: 'list',
      model: String(body.model ?? models[0]),
      data: inputs.map((t, index) => {
        // Like OpenAI's text-embedding-3 models, `dimensions` shortens the vectors (unless this server ignores it).
        const dim = typeof body.dimensions === 'number' && !opts.ignoreDimensions ? body.dimensions : (opts.embeddingDim ?? 64);
        const v = bigramVector(t, dim);
        // The official client asks for base64 (little-endian float32) unless told otherwise.
        const embedding = body.encoding_format === 'base64' ? Buffer.from(new Float32Array(v).buffer).toString('base64') : v;
        return { object: 'embedding', index, embedding };
      }),
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  let connections = 0;
  server.on('connection', () => connections++);
  return {
    connections: () => connections,
    url: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    script(behaviours) {
      queue.push(...(Array.isArray(behaviours) ? behaviours : [behaviours]));
    },
    close() {
      return new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}

function sendJson(res: http.ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Flush what was written, then drop the connection without finishing the response. */
async function cut(res: http.ServerResponse): Promise<void> {
  await new Promise<void>((resolve) => res.write('', () => resolve()));
  await new Promise((resolve) => setTimeout(resolve, 20));
  res.destroy();
}

/** Resolve true if the client went away before `ms` passed. */
function waitOrClose(res: http.ServerResponse, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const onClose = () => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      res.off('close', onClose);
      resolve(false);
    }, ms);
    res.once('close', onClose);
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const up = await startUpstream({ port: Number(arg('--port') ?? 9101), chunkDelayMs: Number(arg('--chunk-delay-ms') ?? 0) });
  process.stdout.write(`test upstream (echo, not a model) listening on ${up.url}\n`);
  process.on('SIGINT', () => void up.close().then(() => process.exit(0)));
  process.on('SIGTERM', () => void up.close().then(() => process.exit(0)));
}
