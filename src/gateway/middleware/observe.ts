import crypto from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { GatewayEnv } from '../env.js';
import type { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { routeLabel } from '../metrics/route-label.js';

/** Request id (X-Request-Id), in-flight gauge, request counter and latency histogram by route. */
export function observe({ metrics }: { metrics: GatewayMetrics }): MiddlewareHandler<GatewayEnv> {
  return async function observeRequest(c, next) {
    const start = performance.now();
    const given = c.req.header('x-request-id');
    const requestId = given && /^[A-Za-z0-9._-]{1,64}$/.test(given) ? given : crypto.randomUUID();
    c.set('requestId', requestId);
    metrics.inflight.inc();
    try {
      await next();
    } finally {
      metrics.inflight.dec();
      const route = routeLabel(c);
      const method = c.req.method;
      metrics.requests.inc({ route, method, status: String(c.res.status) });
      metrics.latency.observe((performance.now() - start) / 1000, { route, method });
      c.res.headers.set('X-Request-Id', requestId);
    }
  };
}
