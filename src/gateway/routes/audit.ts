import { anchoring } from '../../audit/anchoring.js';
import { Hono } from 'hono';
import { z } from 'zod';
import { badInput } from '../../core/errors.js';
import type { AuditQuery } from '../../audit/query.js';
import type { RouteDeps } from '../deps.js';
import type { GatewayEnv } from '../env.js';
import { forbidden } from '../http-errors.js';
import { requireRole } from '../middleware/auth.js';
import { seesAllTenants } from './account.js';

const text = (max: number) => z.string().min(1).max(max).optional();
const auditQuery = z.object({
  from: z.string().optional(),
  to: z.string().optional(),
  action: text(64),
  /** Admins and auditors of tenant "*" only: one tenant's events. */
  tenant: text(128),
  user: text(256),
  /** As 管理 lists a key (`id:0123456789ab`) or a sign-in (`oidc:…`). */
  credential: text(64),
  outcome: text(32),
  model: text(128),
  /** Paging: events older than this id (the `nextBefore` of the page before). */
  before: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
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
    const { from, to, limit, ...exact } = q.data;
    const query: AuditQuery = Object.assign(exact, { limit: limit + 1, includeContent: true });
    if (!seesAllTenants(actor)) {
      if (query.tenant !== undefined && query.tenant !== actor.tenant) {
        throw forbidden(`テナント ${actor.tenant} の方は他のテナントの監査記録を読めません / tenant=${query.tenant}: you may read only your own tenant's (${actor.tenant}) audit events`);
      }
      query.tenant = actor.tenant;
    }
    if (from) query.from = new Date(from).toISOString();
    if (to) query.to = new Date(to).toISOString();
    // One more than asked tells whether there is a next page.
    const events = await services.audit.query(query);
    const more = events.length > limit;
    if (more) events.length = limit;
    return c.json(more ? { events, more, nextBefore: events[limit - 1]!.id } : { events, more });
  });

  app.post('/api/audit/verify', async (c) => {
    const r = await services.audit.verify();
    if (!r.ok) return c.json({ ok: r.ok, events: r.events, checkpoints: r.checkpoints, firstBad: r.firstBad });
    // How far the signatures reach: events after the last checkpoint could be cut off unnoticed (docs/audit.md).
    const a = anchoring(await services.audit.checkpoints(), r.events);
    return c.json({ ok: r.ok, events: r.events, checkpoints: r.checkpoints, lastCheckpoint: a.lastCheckpoint, unanchored: a.unanchored });
  });
  return app;
}
