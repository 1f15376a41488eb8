import { Hono } from 'hono';
import { z } from 'zod';
import { badInput, notFound } from '../../core/errors.js';
import type { ReviewStatus } from '../../review/index.js';
import type { RouteDeps } from '../deps.js';
import type { GatewayEnv } from '../env.js';
import { requireRole } from '../middleware/auth.js';
import { readBody } from '../request.js';

const decisionBody = z.object({ reason: z.string().min(1, 'reason: say why (it goes into the audit log)').max(2000), editedText: z.string().max(200_000).optional() });
const STATUSES: ReviewStatus[] = ['pending', 'approved', 'rejected'];

function itemId(raw: string): number {
  const id = Number(raw);
  if (!Number.isInteger(id) || id < 1) throw badInput(`review id "${raw}" is not a number`);
  return id;
}

/** The review queue over HTTP, always within the caller's tenant. */
export function reviewRoutes({ services }: RouteDeps) {
  const app = new Hono<GatewayEnv>();

  app.get('/api/review', requireRole('reviewer', 'admin'), async (c) => {
    const status = c.req.query('status') ?? 'pending';
    if (!STATUSES.includes(status as ReviewStatus)) throw badInput(`status = "${status}": use pending, approved or rejected`);
    const items = await services.review.list({ tenant: c.get('actor').tenant, status: status as ReviewStatus });
    return c.json(items);
  });

  app.get('/api/review/:id', async (c) => {
    const actor = c.get('actor');
    const item = await services.review.get(itemId(c.req.param('id')), actor);
    // Another tenant's item does not exist for this caller.
    if (item.tenant !== actor.tenant) throw notFound(`review item ${c.req.param('id')} not found`);
    if (actor.role === 'staff' && item.requester !== actor.user) throw notFound(`review item ${c.req.param('id')} not found`);
    return c.json(item);
  });

  for (const verb of ['approve', 'reject'] as const) {
    app.post(`/api/review/:id/${verb}`, requireRole('reviewer', 'admin'), async (c) => {
      const actor = c.get('actor');
      const id = itemId(c.req.param('id'));
      const current = await services.review.get(id, actor);
      if (current.tenant !== actor.tenant) throw notFound(`review item ${id} not found`);
      const body = await readBody(c, decisionBody);
      const decision = { actor, reason: body.reason, ...(body.editedText !== undefined ? { editedText: body.editedText } : {}) };
      return c.json(verb === 'approve' ? await services.review.approve(id, decision) : await services.review.reject(id, decision));
    });
  }
  return app;
}
