/**
 * One error type for all of hiraga. The `code` is stable and machine-readable;
 * callers decide exit codes, HTTP statuses and retries from it, never from the message.
 */
export type ErrorCode =
  | 'bad_input' // the caller sent something wrong: fix the input and retry
  | 'not_found' // a named thing does not exist
  | 'unauthorized' // no or wrong credentials
  | 'forbidden' // authenticated but not allowed
  | 'policy' // blocked by a governance policy (e.g. confidentiality exceeds clearance)
  | 'rate_limited' // too many requests: retry later
  | 'timeout' // an operation took longer than its limit
  | 'upstream' // a model or embedding endpoint failed
  | 'internal'; // a bug or an environment fault

export interface HiragaErrorOptions {
  /** A more specific, stable reason, e.g. `confidentiality_exceeds_clearance`. */
  reason?: string;
  /** Whether the same call may succeed if retried later. */
  retryable?: boolean;
  /** Structured details safe to show to the caller (never secrets). */
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class HiragaError extends Error {
  readonly code: ErrorCode;
  readonly reason: string | undefined;
  readonly retryable: boolean;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: HiragaErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HiragaError';
    this.code = code;
    this.reason = options.reason;
    this.retryable = options.retryable ?? (code === 'rate_limited' || code === 'timeout');
    this.details = options.details;
  }
}

export const badInput = (message: string, options?: HiragaErrorOptions) => new HiragaError('bad_input', message, options);
export const notFound = (message: string, options?: HiragaErrorOptions) => new HiragaError('not_found', message, options);
export const policyBlock = (message: string, options?: HiragaErrorOptions) => new HiragaError('policy', message, options);
export const upstreamError = (message: string, options?: HiragaErrorOptions) => new HiragaError('upstream', message, options);
export const internalError = (message: string, options?: HiragaErrorOptions) => new HiragaError('internal', message, options);

/** Wrap anything thrown into a HiragaError (unknown errors become `internal`). */
export function toHiragaError(err: unknown): HiragaError {
  if (err instanceof HiragaError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new HiragaError('internal', message, { cause: err });
}

/** Exit status for the CLI: 2 for bad input or usage, 1 for everything else. */
export function exitCodeFor(err: HiragaError): number {
  return err.code === 'bad_input' || err.code === 'not_found' ? 2 : 1;
}
