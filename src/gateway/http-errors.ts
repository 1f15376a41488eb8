import { HiragaError, type ErrorCode } from '../core/errors.js';

/** The OpenAI error body: `{"error":{"message","type","code"}}` (plus `param` when known). */
export interface OpenAiErrorBody {
  error: { message: string; type: string; code: string; param?: string | null; request_id?: string };
}

const STATUS: Record<ErrorCode, number> = {
  bad_input: 400,
  not_found: 404,
  unauthorized: 401,
  forbidden: 403,
  policy: 403,
  rate_limited: 429,
  timeout: 504,
  upstream: 502,
  internal: 500,
};

const TYPE: Record<ErrorCode, string> = {
  bad_input: 'invalid_request_error',
  not_found: 'invalid_request_error',
  unauthorized: 'authentication_error',
  forbidden: 'permission_error',
  policy: 'policy_error',
  rate_limited: 'rate_limit_error',
  timeout: 'timeout_error',
  upstream: 'upstream_error',
  internal: 'server_error',
};

/** Reasons that have their own HTTP status. */
const REASON_STATUS: Record<string, number> = {
  body_too_large: 413,
  unsupported_media_type: 415,
  method_not_allowed: 405,
  shutting_down: 503,
  /** A key reload found the config file invalid (the keys in force were kept): the request was fine, the file is not. */
  config_invalid: 409,
};

export function statusFor(err: HiragaError): number {
  return (err.reason && REASON_STATUS[err.reason]) || STATUS[err.code];
}

/**
 * The public error body. Internal errors never show their message (it may name files, hosts or
 * SQL); everything else carries the message written for the caller, with secrets removed.
 */
export function errorBody(err: HiragaError, requestId: string, redact: (s: string) => string): OpenAiErrorBody {
  const message =
    err.code === 'internal'
      ? `内部エラーが発生しました。管理者にお問い合わせください / internal error; report request id ${requestId} to your administrator`
      : redact(err.message);
  const param = typeof err.details?.param === 'string' ? err.details.param : undefined;
  // A model server's own code (context_length_exceeded…) is what clients and frameworks look for.
  const upstreamCode = typeof err.details?.upstreamCode === 'string' ? err.details.upstreamCode : undefined;
  return {
    error: {
      message,
      type: TYPE[err.code],
      code: upstreamCode ?? err.reason ?? err.code,
      // OpenAI's errors always carry param, null when no one parameter is at fault.
      param: param ?? null,
      request_id: requestId,
    },
  };
}

export const unauthorized = (message: string, reason = 'invalid_api_key') => new HiragaError('unauthorized', message, { reason });
export const forbidden = (message: string, reason = 'insufficient_role') => new HiragaError('forbidden', message, { reason });
