import { Hono } from 'hono';
import { checkModel, usableModels } from '../../models/access.js';
import { supportedParameters } from '../../models/generation.js';
import type { ModelInfo } from '../../models/types.js';
import type { RouteDeps } from '../deps.js';
import type { GatewayEnv } from '../env.js';

const STARTED = Math.floor(Date.now() / 1000);

/** The OpenAI model object plus hiraga's trust attributes (never URLs or keys). */
export function publicModel(m: ModelInfo, embeddings: boolean) {
  return {
    id: m.id,
    object: 'model' as const,
    created: STARTED,
    owned_by: m.origin === 'domestic' ? 'hiraga-domestic' : 'hiraga-foreign',
    provider: m.provider,
    origin: m.origin,
    hosting: m.hosting,
    clearance: m.clearance,
    ...(m.label ? { label: m.label } : {}),
    ...(m.contextWindow ? { context_window: m.contextWindow } : {}),
    price_jpy_per_1k: { input: m.priceInputPer1k, output: m.priceOutputPer1k },
    fallback: m.fallback,
    ...(m.tenants ? { tenants: m.tenants } : {}),
    embeddings,
    supported_parameters: supportedParameters(m),
  };
}

/**
 * GET /v1/models and /v1/models/:id — the models the caller's tenant may use (`models[].tenants`); the policy
 * decides per call what each may receive.
 */
export function modelRoutes({ services }: RouteDeps) {
  const app = new Hono<GatewayEnv>();
  const hasEmbeddings = (id: string) => {
    const cfg = services.models.get(id).config;
    return cfg.provider === 'openai-compatible' && !!cfg.embeddingModel;
  };
  app.get('/v1/models', (c) => c.json({ object: 'list', data: usableModels(services.models, c.get('actor')).map((m) => publicModel(m, hasEmbeddings(m.id))) }));
  app.get('/v1/models/:id', (c) => {
    const id = c.req.param('id');
    checkModel(services.models, id, c.get('actor'));
    return c.json(publicModel(services.models.get(id).info, hasEmbeddings(id)));
  });
  return app;
}
