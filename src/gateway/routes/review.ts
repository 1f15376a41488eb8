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

/** Items per page of GET /api/review. */
export const REVIEW_PAGE = { default: 100, max: 500 } as const;

function itemId(raw: string): number {
  const id = Number(raw);
  if (!Number.isInteger(id) || id < 1) throw badInput(`review id "${raw}" is not a number`);
  return id;
}

/** `after` of GET /api/review: the last id of the page before (a safe integer from 1). */
function afterParam(raw: string): number {
  if (!/^[1-9][0-9]{0,15}$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
    throw badInput(`after「${raw.slice(0, 40)}」は確認項目の番号ではありません。前のページの最後の番号（1 以上の整数）を指定してください / after = ${JSON.stringify(raw.slice(0, 40))}: give a review item id (a whole number from 1), the last id of the page before`, { details: { param: 'after' } });
  }
  return Number(raw);
}

/** `limit` of GET /api/review: 1–500, default 100 (absent or empty). */
function pageLimit(raw: string | undefined): number {
  if (!raw) return REVIEW_PAGE.default;
  const n = /^[0-9]{1,4}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= REVIEW_PAGE.max)) {
    throw badInput(`limit「${raw.slice(0, 40)}」は使えません。1〜${REVIEW_PAGE.max} の整数で指定してください / limit = ${JSON.stringify(raw.slice(0, 40))}: give a whole number from 1 to ${REVIEW_PAGE.max} (default ${REVIEW_PAGE.default}); page on with after=<the last id>`, { details: { param: 'limit' } });
  }
  return n;
}

/** The review queue over HTTP, always within the caller's tenant. */
export function reviewRoutes({ services }: RouteDeps) {
  const app = new Hono<GatewayEnv>();

  /**
   * The tenant's items with one status, oldest first (the queue is first in, first out), `limit` at a time
   * after the id `after`. The body stays a bare array; `X-Has-More` says whether items follow, and `Link`
   * (rel="next") is the next page's URL.
   */
  app.get('/api/review', requireRole('reviewer', 'admin'), async (c) => {
    const status = c.req.query('status') ?? 'pending';
    if (!STATUSES.includes(status as ReviewStatus)) throw badInput(`status = "${status}": use pending, approved or rejected`);
    const limit = pageLimit(c.req.query('limit'));
    const afterRaw = c.req.query('after');
    const after = afterRaw ? afterParam(afterRaw) : undefined;
    const page = await services.review.page({ tenant: c.get('actor').tenant, status: status as ReviewStatus, limit, ...(after !== undefined ? { after } : {}) });
    c.header('X-Has-More', String(page.hasMore));
    if (page.hasMore) {
      const next = new URLSearchParams({ status, after: String(page.items[page.items.length - 1]!.id), limit: String(limit) });
      c.header('Link', `</api/review?${next}>; rel="next"`);
    }
    return c.json(page.items);
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
