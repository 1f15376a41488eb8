/**
 * The one place the web workspace talks to `hiraga serve`: Bearer auth from sessionStorage,
 * OpenAI-shaped errors turned into ApiError, and SSE reading for streamed answers.
 */
const KEY_STORAGE = 'hiraga.apiKey';
const EXPIRY_STORAGE = 'hiraga.expiresAt';

/** Fired on window when a request sent with the stored credential is refused with 401 (revoked key, expired ID token). */
export const UNAUTHORIZED_EVENT = 'hiraga:unauthorized';

/** The Bearer credential of this tab: an API key, or the ID token of an OIDC sign-in. */
export function getApiKey(): string | null {
  return sessionStorage.getItem(KEY_STORAGE);
}
/** Keep the credential for this tab only; `expiresAt` (ISO 8601) for an ID token, which expires. */
export function setApiKey(key: string, expiresAt?: string): void {
  sessionStorage.setItem(KEY_STORAGE, key);
  if (expiresAt) sessionStorage.setItem(EXPIRY_STORAGE, expiresAt);
  else sessionStorage.removeItem(EXPIRY_STORAGE);
}
export function clearApiKey(): void {
  sessionStorage.removeItem(KEY_STORAGE);
  sessionStorage.removeItem(EXPIRY_STORAGE);
}
/** When the stored credential expires (ms since the epoch), or null for an API key. */
export function getApiKeyExpiry(): number | null {
  const at = Date.parse(sessionStorage.getItem(EXPIRY_STORAGE) ?? '');
  return Number.isNaN(at) ? null : at;
}

function noticeUnauthorized(res: Response, sentStored: boolean): void {
  if (res.status === 401 && sentStored) window.dispatchEvent(new Event(UNAUTHORIZED_EVENT));
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

export async function toError(res: Response): Promise<ApiError> {
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
  return (await apiWithHeaders<T>(path, opts)).data;
}

/** Like api(), with the response headers too (paging: X-Has-More, Link). */
export async function apiWithHeaders<T>(path: string, opts: RequestOptions = {}): Promise<{ data: T; headers: Headers }> {
  const isForm = typeof FormData !== 'undefined' && opts.body instanceof FormData;
  const h = headers(opts.body !== undefined && !isForm ? { 'content-type': 'application/json' } : {});
  if (opts.key) h.authorization = `Bearer ${opts.key}`;
  const res = await fetch(path, {
    method: opts.method ?? (opts.body !== undefined ? 'POST' : 'GET'),
    headers: h,
    body: opts.body === undefined ? undefined : isForm ? (opts.body as FormData) : JSON.stringify(opts.body),
    signal: opts.signal,
  });
  noticeUnauthorized(res, !opts.key && Boolean(h.authorization));
  if (!res.ok) throw await toError(res);
  const type = res.headers.get('content-type') ?? '';
  const data = type.includes('application/json') ? ((await res.json()) as T) : ((await res.text()) as unknown as T);
  return { data, headers: res.headers };
}

/** The URL of a `Link: <url>; rel="next"` header, if any. */
export function nextLink(headers: Headers): string | undefined {
  const link = headers.get('link');
  if (!link) return undefined;
  for (const part of link.split(',')) {
    const m = /^\s*<([^>]*)>\s*;\s*rel="?next"?\s*$/i.exec(part);
    if (m) return m[1];
  }
  return undefined;
}

/** Fetch with auth and return the body as a Blob (reports, .docx). */
export async function apiBlob(path: string): Promise<Blob> {
  const h = headers();
  const res = await fetch(path, { headers: h });
  noticeUnauthorized(res, Boolean(h.authorization));
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
  const h = headers({ 'content-type': 'application/json', accept: 'text/event-stream' });
  const res = await fetch(path, { method: 'POST', headers: h, body: JSON.stringify(body), signal });
  noticeUnauthorized(res, Boolean(h.authorization));
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
