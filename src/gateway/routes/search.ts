import { Hono } from 'hono';
import { z } from 'zod';
import type { RouteDeps } from '../deps.js';
import type { GatewayEnv } from '../env.js';
import { readBody } from '../request.js';

/** The longest collection name ingest creates (routes/collections.ts: at most 100 letters, digits, . _ -). */
const MAX_COLLECTION_NAME = 100;

const searchRequest = z.object({
  collection: z
    .string()
    .min(1, 'コレクション名を指定してください / name the collection to search; GET /api/collections lists yours')
    // Characters, not UTF-16 units, as ingest counts them (the first test bounds the second's work).
    .refine((s) => s.length <= 2 * MAX_COLLECTION_NAME && [...s].length <= MAX_COLLECTION_NAME, {
      message: `コレクション名は${MAX_COLLECTION_NAME}文字までです。GET /api/collections で名前を確認してください / a collection name is at most ${MAX_COLLECTION_NAME} characters; GET /api/collections lists yours`,
    }),
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
