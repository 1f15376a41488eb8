import { Hono } from 'hono';
import { z } from 'zod';
import { badInput, HiragaError } from '../../core/errors.js';
import type { Actor } from '../../core/types.js';
import type { RouteDeps } from '../deps.js';
import type { GatewayEnv } from '../env.js';
import { readBody } from '../request.js';

const usageQuery = z.object({
  groupBy: z.enum(['tenant', 'app', 'model', 'user']).default('model'),
  from: z.string().optional(),
  to: z.string().optional(),
  bucket: z.enum(['day', 'all']).default('day'),
});

const isoDate = (v: string | undefined, name: string) => {
  if (v !== undefined && Number.isNaN(Date.parse(v))) throw badInput(`${name} = "${v}" is not a date; use ISO 8601, e.g. 2025-04-01`, { details: { param: name } });
  return v === undefined ? undefined : new Date(v).toISOString();
};

/** A ministry-wide administrator: role admin in the tenant "*". Everyone else stays in their tenant. */
export const seesAllTenants = (a: Actor) => a.role === 'admin' && a.tenant === '*';

/** /api/me, /api/usage and /api/guard/scan. */
export function accountRoutes({ services }: RouteDeps) {
  const app = new Hono<GatewayEnv>();

  app.get('/api/me', (c) => {
    const { user, role, tenant } = c.get('actor');
    return c.json({ user, role, tenant });
  });

  /** Staff and reviewers see their own calls; admins and auditors their tenant's. */
  app.get('/api/usage', async (c) => {
    const r = usageQuery.safeParse(c.req.query());
    if (!r.success) throw badInput(`usage query: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    const actor = c.get('actor');
    const own = actor.role === 'staff' || actor.role === 'reviewer';
    const from = isoDate(r.data.from, 'from');
    const to = isoDate(r.data.to, 'to');
    const rows = await services.usage.query({
      tenant: seesAllTenants(actor) ? undefined : actor.tenant,
      ...(own ? { user: actor.user } : {}),
      groupBy: r.data.groupBy,
      bucket: r.data.bucket,
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
    });
    return c.json({ rows });
  });

  /**
   * The month's budget of the caller's tenant (every role: a refused caller should see why); a ministry-wide
   * admin may name any tenant with `?tenant=`.
   */
  app.get('/api/budget', async (c) => {
    const actor = c.get('actor');
    // `?tenant=` (empty, as a form sends an untouched field) is no tenant named: the caller's own.
    const asked = c.req.query('tenant') || undefined;
    if (asked !== undefined && asked !== actor.tenant && !seesAllTenants(actor)) {
      const named = asked.length > 64 ? `${asked.slice(0, 64)}…` : asked;
      throw new HiragaError('forbidden', `他の組織の予算は見られません。tenant を省くと自分の組織の予算です / only an admin of tenant "*" may read another tenant's budget (tenant=${JSON.stringify(named)}); leave tenant out for your own`, { reason: 'other_tenant' });
    }
    return c.json(await services.budgets.status(asked ?? actor.tenant));
  });

  app.post('/api/guard/scan', async (c) => {
    const { text } = await readBody(c, z.object({ text: z.string().max(services.config.server.maxMessageChars) }));
    const r = services.guard.scan(text);
    return c.json({ findings: r.findings, confidentiality: r.confidentiality, flags: r.flags, details: r.details });
  });
  return app;
}
