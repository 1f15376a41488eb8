import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HiragaError, toHiragaError } from '../../core/errors.js';
import type { GatewayEnv } from '../env.js';
import { errorBody, statusFor } from '../http-errors.js';
import type { Logger } from '../log.js';

export interface ErrorHandlerOptions {
  logger: Logger;
  redact: (text: string) => string;
  /** For the log: `redact` and personal data masked (a model server's error can quote the prompt). */
  logText: (text: string) => string;
  onError?: (err: HiragaError, c: Context<GatewayEnv>) => void;
}

/**
 * The one place errors become responses: the OpenAI error shape, a status from the error code, the
 * public message for the caller and the cause (secrets and personal data removed) in the log. Unknown errors are `internal`.
 */
export function errorHandler({ logger, redact, logText, onError }: ErrorHandlerOptions): ErrorHandler<GatewayEnv> {
  return function handleError(thrown, c) {
    const err = toHiragaError(thrown);
    const status = statusFor(err);
    const requestId = c.get('requestId') ?? '-';
    onError?.(err, c);
    if (status >= 500) {
      const cause = err.cause instanceof Error ? err.cause : thrown;
      logger.error({ requestId, code: err.code, reason: err.reason, route: logText(c.req.path), err: logText(String((cause as Error)?.stack ?? cause)) }, logText(err.message));
    } else if (logger.isLevelEnabled('debug')) {
      // A refusal flood (429s) must not run the guard over every message for a level that is off.
      logger.debug({ requestId, code: err.code, reason: err.reason, route: logText(c.req.path), status }, logText(err.message));
    }
    if (err.code === 'rate_limited' && typeof err.details?.retryAfterSeconds === 'number') c.header('Retry-After', String(err.details.retryAfterSeconds));
    // Not worth retrying soon (a spent budget, a model server that refuses our key): the official OpenAI
    // clients retry every 429 and 5xx unless told otherwise by this header.
    if ((err.code === 'rate_limited' || err.code === 'upstream') && !err.retryable) c.header('x-should-retry', 'false');
    if (err.code === 'unauthorized') c.header('WWW-Authenticate', 'Bearer realm="hiraga"');
    return c.json(errorBody(err, requestId, redact), status as 400);
  };
}

export function notFoundHandler(): NotFoundHandler<GatewayEnv> {
  return function handleNotFound(c) {
    throw new HiragaError('not_found', `${c.req.method} ${c.req.path} はありません / no such route; see /openapi.json for the routes`, { reason: 'unknown_route' });
  };
}
