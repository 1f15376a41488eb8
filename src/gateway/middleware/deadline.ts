import type { MiddlewareHandler } from 'hono';
import type { GatewayEnv } from '../env.js';

/**
 * `c.var.signal`: aborted when the client disconnects or `timeoutMs` passes. Handlers pass it to
 * the pipeline, so a dropped connection or a deadline cancels the model call upstream.
 */
export function deadline({ timeoutMs }: { timeoutMs: number }): MiddlewareHandler<GatewayEnv> {
  return async function withDeadline(c, next) {
    c.set('signal', AbortSignal.any([c.req.raw.signal, AbortSignal.timeout(timeoutMs)]));
    return next();
  };
}

/** True when the signal was aborted by the deadline (not by the client). */
export function timedOut(signal: AbortSignal): boolean {
  return signal.aborted && (signal.reason as Error | undefined)?.name === 'TimeoutError';
}
