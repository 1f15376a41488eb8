import type { ServerResponse } from 'node:http';
import type { MiddlewareHandler } from 'hono';
import { LightAbortController } from '../../core/cancel.js';
import type { GatewayEnv } from '../env.js';

/**
 * `c.var.signal`: aborted when the client disconnects or `timeoutMs` passes. Handlers pass it to
 * the pipeline, so a dropped connection or a deadline cancels the model call upstream.
 *
 * One light AbortController (src/core/cancel.ts) and one timer per request: the disconnect is read
 * from Node's response ('close' before the response finished), and the timer is cleared when the
 * response closes (for a stream, when the stream ends). Outside a Node server (app.request in tests) the request's
 * own signal stands in for the connection.
 */
export function deadline({ timeoutMs }: { timeoutMs: number }): MiddlewareHandler<GatewayEnv> {
  return async function withDeadline(c, next) {
    const ctl = new LightAbortController();
    const timer = setTimeout(() => ctl.abort(new DOMException(`the request took longer than ${timeoutMs} ms`, 'TimeoutError')), timeoutMs);
    const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
    if (outgoing) {
      outgoing.once('close', () => {
        clearTimeout(timer);
        if (!outgoing.writableFinished) ctl.abort(new DOMException('the client closed the connection', 'AbortError'));
      });
    } else {
      timer.unref();
      const client = c.req.raw.signal;
      client.addEventListener('abort', () => ctl.abort(client.reason), { once: true });
    }
    c.set('signal', ctl.signal);
    return next();
  };
}

/** True when the signal was aborted by the deadline (not by the client). */
export function timedOut(signal: AbortSignal): boolean {
  return signal.aborted && (signal.reason as Error | undefined)?.name === 'TimeoutError';
}
