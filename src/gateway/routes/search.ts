import { Hono } from 'hono';
import { z } from 'zod';
import type { RouteDeps } from '../deps.js';
import type { GatewayEnv } from '../env.js';
import { collectionName } from '../collection-name.js';
import { readBody } from '../request.js';

const searchRequest = z.object({
  collection: collectionName(),
  query: z.string().min(1, 'query is empty: give the words to search for').max(2000),
  k: z.number().int().min(1).max(100).optional(),
});

/** POST /api/search — the CLI's `search --json` over HTTP, within the caller's tenant. */
export function searchRoutes({ services }: RouteDeps) {
  const app = new Hono<GatewayEnv>();
  app.post('/api/search', async (c) => {
    const body = await readBody(c, searchRequest);
    const { searcher, embedder } = await services.retrieval();
    const hits = await searcher.search(body.query, { collection: body.collection, tenant: c.get('actor').tenant, k: body.k ?? 10, embedder });
    return c.json({ hits: hits.map((h) => ({ source: h.source, chunk: h.chunk, score: h.score, text: h.text, heading: h.heading })) });
  });
  return app;
}
