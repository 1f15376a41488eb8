import { Hono } from 'hono';
import type { RouteDeps } from '../deps.js';
import type { GatewayEnv } from '../env.js';
import { checkHealth } from '../health.js';
import type { RateLimiter } from '../limits/rate-limiter.js';
import { openApiDocument } from '../openapi.js';

/** /healthz (load balancers), /metrics (Prometheus), /openapi.json — no credentials needed. */
export function systemRoutes(deps: RouteDeps & { shuttingDown(): boolean; version: string; limiter: RateLimiter }) {
  const app = new Hono<GatewayEnv>();
  app.get('/healthz', async (c) => {
    const r = await checkHealth({ store: deps.services.store, limiter: deps.limiter, version: deps.version, shuttingDown: deps.shuttingDown() });
    return c.json(r.body, r.httpStatus, { 'cache-control': 'no-store' });
  });
  app.get('/metrics', (c) => {
    const { metrics } = deps;
    // Set from what this node knows now: a tenant's last month does not linger after the month turns.
    metrics.budgetSpent.clear();
    metrics.budgetLimit.clear();
    for (const b of deps.services.budgets.snapshot()) {
      metrics.budgetSpent.set(b.spent.jpy, { tenant: b.tenant, unit: 'jpy' });
      metrics.budgetSpent.set(b.spent.tokens, { tenant: b.tenant, unit: 'tokens' });
      if (b.limit.monthlyJpy !== undefined) metrics.budgetLimit.set(b.limit.monthlyJpy, { tenant: b.tenant, unit: 'jpy' });
      if (b.limit.monthlyTokens !== undefined) metrics.budgetLimit.set(b.limit.monthlyTokens, { tenant: b.tenant, unit: 'tokens' });
    }
    return c.text(metrics.registry.render(), 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
  });
  const doc = JSON.stringify(openApiDocument(deps.version));
  app.get('/openapi.json', (c) => c.body(doc, 200, { 'content-type': 'application/json' }));
  return app;
}
