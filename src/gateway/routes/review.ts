import { Hono } from 'hono';
import { z } from 'zod';
import { badInput, notFound } from '../../core/errors.js';
import type { Actor } from '../../core/types.js';
import type { ReviewItem, ReviewStatus } from '../../review/index.js';
import type { RouteDeps } from '../deps.js';
import type { GatewayEnv } from '../env.js';
import { requireRole } from '../middleware/auth.js';
import { readBody } from '../request.js';

const decisionBody = z.object({ reason: z.string().min(1, 'reason: say why (it goes into the audit log)').max(2000), editedText: z.string().max(200_000).optional() });
const STATUSES: ReviewStatus[] = ['pending', 'approved', 'rejected'];

/** Items per page of GET /api/review. */
export const REVIEW_PAGE = { default: 100, max: 500 } as const;

/** A review item id as a path or query gives it: digits only, from 1, a safe integer (no 0x2, 1e3, 2.0 or 20 digits). */
const ID = /^[1-9][0-9]{0,15}$/;

function parseId(raw: string): number | null {
  return ID.test(raw) && Number.isSafeInteger(Number(raw)) ? Number(raw) : null;
}

const shown = (raw: string) => (raw.length > 40 ? `${raw.slice(0, 40)}…` : raw);

/** `:id` of /api/review/:id: 400 naming the bad id otherwise. */
function itemId(raw: string): number {
  const id = parseId(raw);
  if (id === null) throw badInput(`確認項目の番号「${shown(raw)}」が正しくありません。1 以上の整数で指定してください / review id ${JSON.stringify(shown(raw))} is not a review item id: give a whole number from 1 (digits only)`, { details: { param: 'id' } });
  return id;
}

/** `after` of GET /api/review: the last id of the page before. */
function afterParam(raw: string): number {
  const id = parseId(raw);
  if (id === null) throw badInput(`after「${shown(raw)}」は確認項目の番号ではありません。前のページの最後の番号（1 以上の整数）を指定してください / after = ${JSON.stringify(shown(raw))}: give a review item id (a whole number from 1), the last id of the page before`, { details: { param: 'after' } });
  return id;
}

/** `limit` of GET /api/review: 1–500, default 100 (absent or empty). */
function pageLimit(raw: string | undefined): number {
  if (!raw) return REVIEW_PAGE.default;
  const n = /^[1-9][0-9]{0,2}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= REVIEW_PAGE.max)) {
    throw badInput(`limit「${shown(raw)}」は使えません。1〜${REVIEW_PAGE.max} の整数で指定してください / limit = ${JSON.stringify(shown(raw))}: give a whole number from 1 to ${REVIEW_PAGE.max} (default ${REVIEW_PAGE.default}); page on with after=<the last id>`, { details: { param: 'limit' } });
  }
  return n;
}

/** The review queue over HTTP, always within the caller's tenant. */
export function reviewRoutes({ services }: RouteDeps) {
  const app = new Hono<GatewayEnv>();
  const allowSelfReview = services.config.review.allowSelfReview;
  /**
   * Each item says whether the caller may decide it (`decidable`): pending, the caller a reviewer or admin, and
   * not their own request unless review.allowSelfReview (four eyes), so the screen offers only what would pass.
   */
  const forViewer = <T extends ReviewItem>(item: T, viewer: Actor): T & { decidable: boolean } =>
    Object.assign(item, { decidable: item.status === 'pending' && (viewer.role === 'reviewer' || viewer.role === 'admin') && (allowSelfReview || item.requester !== viewer.user) });

  /**
   * The tenant's items with one status, oldest first (the queue is first in, first out), `limit` at a time
   * after the id `after`. The body stays a bare array; `X-Has-More` says whether items follow, and `Link`
   * (rel="next") is the next page's URL.
   */
  app.get('/api/review', requireRole('reviewer', 'admin'), async (c) => {
    const status = c.req.query('status') ?? 'pending';
    if (!STATUSES.includes(status as ReviewStatus)) throw badInput(`表示する状態「${shown(status)}」は使えません。pending、approved、rejected のいずれかを指定してください / status = ${JSON.stringify(shown(status))}: use pending, approved or rejected`, { details: { param: 'status' } });
    const limit = pageLimit(c.req.query('limit'));
    const afterRaw = c.req.query('after');
    const after = afterRaw ? afterParam(afterRaw) : undefined;
    const page = await services.review.page({ tenant: c.get('actor').tenant, status: status as ReviewStatus, limit, ...(after !== undefined ? { after } : {}) });
    c.header('X-Has-More', String(page.hasMore));
    if (page.hasMore) {
      const next = new URLSearchParams({ status, after: String(page.items[page.items.length - 1]!.id), limit: String(limit) });
      c.header('Link', `</api/review?${next}>; rel="next"`);
    }
    const actor = c.get('actor');
    return c.json(page.items.map((i) => forViewer(i, actor)));
  });

  app.get('/api/review/:id', async (c) => {
    const actor = c.get('actor');
    const item = await services.review.get(itemId(c.req.param('id')), actor);
    // Another tenant's item does not exist for this caller.
    if (item.tenant !== actor.tenant) throw notFound(`確認項目 ${c.req.param('id')} はありません / review item ${c.req.param('id')} does not exist`);
    if (actor.role === 'staff' && item.requester !== actor.user) throw notFound(`確認項目 ${c.req.param('id')} はありません / review item ${c.req.param('id')} does not exist`);
    return c.json(forViewer(item, actor));
  });

  for (const verb of ['approve', 'reject'] as const) {
    app.post(`/api/review/:id/${verb}`, requireRole('reviewer', 'admin'), async (c) => {
      const actor = c.get('actor');
      const id = itemId(c.req.param('id'));
      const current = await services.review.get(id, actor);
      if (current.tenant !== actor.tenant) throw notFound(`確認項目 ${id} はありません / review item ${id} does not exist`);
      const body = await readBody(c, decisionBody);
      const decision = { actor, reason: body.reason, ...(body.editedText !== undefined ? { editedText: body.editedText } : {}) };
      return c.json(forViewer(verb === 'approve' ? await services.review.approve(id, decision) : await services.review.reject(id, decision), actor));
    });
  }
  return app;
}
