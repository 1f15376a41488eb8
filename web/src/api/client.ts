/**
 * The one place the web workspace talks to `hiraga serve`: Bearer auth from sessionStorage,
 * OpenAI-shaped errors turned into ApiError, and SSE reading for streamed answers.
 */
const KEY_STORAGE = 'hiraga.apiKey';

export function getApiKey(): string | null {
  return sessionStorage.getItem(KEY_STORAGE);
}
export function setApiKey(key: string): void {
  sessionStorage.setItem(KEY_STORAGE, key);
}
export function clearApiKey(): void {
  sessionStorage.removeItem(KEY_STORAGE);
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

function headers(extra?: Record<string, string>): Record<string, string> {
  const h: Record<string, string> = { ...extra };
  const key = getApiKey();
  if (key) h.authorization = `Bearer ${key}`;
  return h;
}

async function toError(res: Response): Promise<ApiError> {
  let message = res.statusText || `HTTP ${res.status}`;
  let code = String(res.status);
  try {
    const body = (await res.json()) as { error?: { message?: string; code?: string; type?: string } };
    if (body?.error) {
      message = body.error.message ?? message;
      code = body.error.code ?? body.error.type ?? code;
    }
  } catch {
    /* not JSON */
  }
  return new ApiError(res.status, code, message);
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  signal?: AbortSignal;
  key?: string;
}

export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const isForm = typeof FormData !== 'undefined' && opts.body instanceof FormData;
  const h = headers(opts.body !== undefined && !isForm ? { 'content-type': 'application/json' } : {});
  if (opts.key) h.authorization = `Bearer ${opts.key}`;
  const res = await fetch(path, {
    method: opts.method ?? (opts.body !== undefined ? 'POST' : 'GET'),
    headers: h,
    body: opts.body === undefined ? undefined : isForm ? (opts.body as FormData) : JSON.stringify(opts.body),
    signal: opts.signal,
  });
  if (!res.ok) throw await toError(res);
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('application/json')) return (await res.json()) as T;
  return (await res.text()) as unknown as T;
}

/** Fetch with auth and return the body as a Blob (reports, .docx). */
export async function apiBlob(path: string): Promise<Blob> {
  const res = await fetch(path, { headers: headers() });
  if (!res.ok) throw await toError(res);
  return res.blob();
}

export interface SseEvent {
  event: string;
  data: string;
}

/** Parse a text/event-stream body into events (`event:` defaults to "message"). */
export async function* readSse(res: Response): AsyncGenerator<SseEvent> {
  if (!res.body) return;
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (value) buffer += decoder.decode(value, { stream: true });
    if (done) buffer += decoder.decode();
    buffer = buffer.replace(/\r\n/g, '\n');
    let sep: number;
    while ((sep = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, sep);
      buffer = buffer.slice(sep + 2);
      const ev = parseBlock(block);
      if (ev) yield ev;
    }
    if (done) {
      const ev = parseBlock(buffer);
      if (ev) yield ev;
      return;
    }
  }
}

function parseBlock(block: string): SseEvent | null {
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    const i = line.indexOf(':');
    const field = i < 0 ? line : line.slice(0, i);
    const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  if (data.length === 0) return null;
  return { event, data: data.join('\n') };
}

/** POST JSON and stream the SSE reply. Non-2xx replies throw ApiError before any event. */
export async function streamPost(path: string, body: unknown, signal?: AbortSignal): Promise<AsyncGenerator<SseEvent>> {
  const res = await fetch(path, {
    method: 'POST',
    headers: headers({ 'content-type': 'application/json', accept: 'text/event-stream' }),
    body: JSON.stringify(body),
    signal,
  });
  if (!res.ok) throw await toError(res);
  const type = res.headers.get('content-type') ?? '';
  if (!type.includes('text/event-stream')) {
    // The server answered in one piece: present it as a single `done` event.
    const text = await res.text();
    return (async function* () {
      yield { event: 'done', data: text };
    })();
  }
  return readSse(res);
}
