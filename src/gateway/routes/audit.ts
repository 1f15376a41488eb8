import { Hono } from 'hono';
import { z } from 'zod';
import { badInput } from '../../core/errors.js';
import type { RouteDeps } from '../deps.js';
import type { GatewayEnv } from '../env.js';
import { requireRole } from '../middleware/auth.js';
import { seesAllTenants } from './account.js';

const auditQuery = z.object({
  from: z.string().optional(),
  to: z.string().optional(),
  action: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/**
 * GET /api/audit (auditor, admin): the tenant's events, with content only where retention kept it.
 * POST /api/audit/verify: walk the whole chain (it is one chain for every tenant and node).
 */
export function auditRoutes({ services }: RouteDeps) {
  const app = new Hono<GatewayEnv>();
  app.use('/api/audit', requireRole('auditor', 'admin'));
  app.use('/api/audit/*', requireRole('auditor', 'admin'));

  app.get('/api/audit', async (c) => {
    const q = auditQuery.safeParse(c.req.query());
    if (!q.success) throw badInput(`audit query: ${q.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    const actor = c.get('actor');
    for (const name of ['from', 'to'] as const) {
      const v = q.data[name];
      if (v !== undefined && Number.isNaN(Date.parse(v))) throw badInput(`${name} = "${v}" is not a date; use ISO 8601, e.g. 2025-04-01`);
    }
    const events = await services.audit.query({
      ...(seesAllTenants(actor) ? {} : { tenant: actor.tenant }),
      ...(q.data.from ? { from: new Date(q.data.from).toISOString() } : {}),
      ...(q.data.to ? { to: new Date(q.data.to).toISOString() } : {}),
      ...(q.data.action ? { action: q.data.action } : {}),
      limit: q.data.limit,
      includeContent: true,
    });
    return c.json({ events });
  });

  app.post('/api/audit/verify', async (c) => {
    const r = await services.audit.verify();
    return c.json({ ok: r.ok, events: r.events, checkpoints: r.checkpoints, ...(r.firstBad ? { firstBad: r.firstBad } : {}) });
  });
  return app;
}
