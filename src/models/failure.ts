import { HiragaError, type ErrorCode } from '../core/errors.js';

/** Stable reasons a model call fails; `reason` on the HiragaError. */
export type FailureReason =
  | 'connection_refused'
  | 'dns'
  | 'connection_lost'
  | 'unauthorized'
  | 'rate_limited'
  | 'server_error'
  | 'bad_request'
  /** The server refused this request as malformed or too large (400, 413, 422): the caller's to fix, not the model's health. */
  | 'request_rejected'
  | 'timeout'
  | 'malformed_response'
  | 'cancelled'
  | 'circuit_open'
  | 'unavailable';

export interface FailureDetails {
  model: string;
  status?: number;
  /** From Retry-After / retry-after-ms, when the server sent one. */
  retryAfterMs?: number;
  /** The server's own error code and parameter (OpenAI's error.code / error.param), passed on to the caller. */
  upstreamCode?: string;
  param?: string;
}

/** Build the one error a failed model call produces: it names the model and the cause, never a stack. */
export function modelFailure(model: string, reason: FailureReason, cause: string, extra: Omit<FailureDetails, 'model'> = {}, original?: unknown): HiragaError {
  const code: ErrorCode = reason === 'timeout' ? 'timeout' : reason === 'request_rejected' ? 'bad_input' : 'upstream';
  return new HiragaError(code, `model "${model}": ${cause}`, {
    reason,
    retryable: reason === 'rate_limited' || reason === 'server_error' || reason === 'timeout' || reason === 'connection_lost',
    details: { model, ...extra },
    ...(original !== undefined ? { cause: original } : {}),
  });
}

export const failureReason = (err: HiragaError): FailureReason | undefined => err.reason as FailureReason | undefined;

/** The first `code` (ECONNREFUSED, ENOTFOUND, …) found on an error or its causes. */
export function systemCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 6 && e && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
    const errors = (e as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length) {
      const inner = systemCode(errors[0]);
      if (inner) return inner;
    }
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Classify a network-level failure (no HTTP status) into a reason and a human cause. */
export function networkFailure(model: string, where: string, err: unknown): HiragaError {
  const code = systemCode(err);
  if (code === 'ECONNREFUSED') return modelFailure(model, 'connection_refused', `connection refused at ${where} (is the server running?)`, {}, err);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return modelFailure(model, 'dns', `DNS lookup failed for ${where} (check baseUrl)`, {}, err);
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return modelFailure(model, 'timeout', `connection to ${where} timed out`, {}, err);
  if (err instanceof SyntaxError) return modelFailure(model, 'malformed_response', `malformed response from ${where} (${err.message})`, {}, err);
  const msg = deepestMessage(err);
  if (msg === 'bad port') return modelFailure(model, 'unavailable', `the port of ${where} is one that HTTP clients refuse to use (bad port); choose another port`, {}, err);
  return modelFailure(model, 'connection_lost', `connection to ${where} failed or was cut (${code ?? msg})`, {}, err);
}

/** The message of the innermost cause ("other side closed" rather than "fetch failed"). */
function deepestMessage(err: unknown): string {
  let msg = err instanceof Error ? err.message : String(err);
  let e: unknown = err;
  for (let depth = 0; depth < 6 && e instanceof Error; depth++) {
    if (e.message) msg = e.message;
    e = e.cause;
  }
  return msg;
}

/** Parse Retry-After (seconds or HTTP date) or retry-after-ms into milliseconds. */
export function parseRetryAfter(headers: { get(name: string): string | null } | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const ra = headers.get('retry-after');
  if (!ra) return undefined;
  if (Number.isFinite(Number(ra))) return Math.max(0, Number(ra) * 1000);
  const date = Date.parse(ra);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/** What an error body said besides its message: OpenAI's `error.code` and `error.param`, when they look like identifiers. */
export interface UpstreamErrorFields {
  code?: unknown;
  param?: unknown;
}

const IDENTIFIER = /^[A-Za-z0-9_.\-[\]]{1,100}$/;

/** Map an HTTP status from a model endpoint to a failure. */
export function statusFailure(model: string, where: string, status: number, message: string, retryAfterMs?: number, fields: UpstreamErrorFields = {}): HiragaError {
  const extra: Omit<FailureDetails, 'model'> = { status };
  if (retryAfterMs !== undefined) extra.retryAfterMs = retryAfterMs;
  const short = message.replace(/\s+/g, ' ').slice(0, 300);
  if (status === 400 || status === 413 || status === 422) {
    // The request itself was refused (a context too long, a parameter this server does not take): the caller
    // learns why, with the server's code and param, as a 400 it should not retry; hiraga's own retries, fallback
    // and circuit breaker leave it alone, since another try or another caller's call says nothing new.
    if (typeof fields.code === 'string' && IDENTIFIER.test(fields.code)) extra.upstreamCode = fields.code;
    if (typeof fields.param === 'string' && IDENTIFIER.test(fields.param)) extra.param = fields.param;
    return modelFailure(model, 'request_rejected', `the model server refused the request (${status}): ${short}`, extra);
  }
  if (status === 401 || status === 403) return modelFailure(model, 'unauthorized', `${status} unauthorized at ${where} (check apiKey): ${short}`, extra);
  if (status === 429) return modelFailure(model, 'rate_limited', `429 rate limited at ${where}: ${short}`, extra);
  if (status >= 500) return modelFailure(model, 'server_error', `${status} server error at ${where}: ${short}`, extra);
  if (status === 404) return modelFailure(model, 'bad_request', `404 not found at ${where} (check baseUrl and model name): ${short}`, extra);
  return modelFailure(model, 'bad_request', `${status} rejected by ${where}: ${short}`, extra);
}
