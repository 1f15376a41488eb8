import { Hono, type MiddlewareHandler } from 'hono';
import type { KeyReloadResult, ReloadTrigger } from './auth/key-reload.js';
import type { KeyListing } from './auth/keyring.js';
import type { IdentityProvider } from './auth/oidc.js';
import type { OidcLogin } from './auth/oidc-login.js';
import type { RouteDeps } from './deps.js';
import type { GatewayEnv } from './env.js';
import type { RateBucket, RateLimiter } from './limits/rate-limiter.js';
import { tokenBuckets } from './limits/token-limits.js';
import { throttledWarning } from './log-throttle.js';
import { auth } from './middleware/auth.js';
import { bodyLimit } from './middleware/body-limit.js';
import { deadline } from './middleware/deadline.js';
import { errorHandler, notFoundHandler } from './middleware/error-handler.js';
import { observe } from './middleware/observe.js';
import { rateLimit } from './middleware/rate-limit.js';
import { accountRoutes } from './routes/account.js';
import { adminRoutes } from './routes/admin.js';
import { appRoutes } from './routes/apps.js';
import { auditRoutes } from './routes/audit.js';
import { responsesRoutes } from './routes/responses.js';
import { reviewRoutes } from './routes/review.js';
import { askRoutes } from './routes/ask.js';
import { chatRoutes } from './routes/chat.js';
import { collectionRoutes, type BackgroundTracker } from './routes/collections.js';
import { embeddingRoutes } from './routes/embeddings.js';
import { modelRoutes } from './routes/models.js';
import { oidcRoutes } from './routes/oidc.js';
import { searchRoutes } from './routes/search.js';
import { staticRoutes } from './routes/static.js';
import { systemRoutes } from './routes/system.js';

export interface AppOptions extends RouteDeps {
  identity: IdentityProvider[];
  /** The API keys the gateway accepts (config.auth.apiKeys, or the local admin key): listed, without key material, for admins. */
  keyRing: { list(): KeyListing[] };
  /** Re-read the config file and put its API keys in force (POST /api/admin/reload-keys). */
  reloadKeys?: (trigger: ReloadTrigger) => Promise<KeyReloadResult>;
  /** The web UI's OIDC sign-in (auth.oidc), or null/absent: /auth/oidc/* then answer 404. */
  oidcLogin?: OidcLogin | null;
  limiter: RateLimiter;
  /** Where the built web UI lives (dist/web). */
  webDir: string;
  version: string;
  shuttingDown(): boolean;
  track: BackgroundTracker;
}

const UPLOAD_PATH = /^\/api\/collections\/[^/]+\/ingest$/;
/** The model calls that hand the rate-limit decision to the pipeline (see admitsLater). */
const MODEL_CALL_PATHS = new Set(['/v1/chat/completions', '/v1/responses']);
/** Every request that uses a model and so spends tokens (checked against the token limits). */
const SPENDS_TOKENS = /^\/(v1\/(chat\/completions|responses|embeddings)|api\/(ask|apps\/test|apps\/[^/]+\/run))$/;
/** A model call's body up to this size is read and guarded while a remote rate limiter decides; a larger one waits for the decision first. */
const ADMIT_WHILE_GUARDING_BYTES = 16 * 1024;

/** Apply `mw` except where `skip` says so. */
const unless =
  (skip: (path: string) => boolean, mw: MiddlewareHandler<GatewayEnv>): MiddlewareHandler<GatewayEnv> =>
  (c, next) =>
    skip(c.req.path) ? next() : mw(c, next);

/**
 * The whole HTTP surface. Order: observe (request id, metrics) → body limit → deadline →
 * [auth → rate limit → route] for /v1 and /api; /healthz, /metrics, /openapi.json, the web UI and its
 * sign-in (/auth/oidc/*, which has no credential yet) are open.
 */
export function createApp(o: AppOptions): Hono<GatewayEnv> {
  const { services, metrics } = o;
  const limits = services.config.server;
  const app = new Hono<GatewayEnv>();

  app.onError(
    errorHandler({
      logger: o.logger,
      redact: o.redact,
      logText: o.logText,
      onError(err, c) {
        metrics.errors.inc({ code: err.reason ?? err.code });
        if (err.code === 'policy') metrics.policy.inc({ outcome: 'block', model: c.get('modelId') ?? String(err.details?.model ?? '') });
      },
    }),
  );
  app.notFound(notFoundHandler());

  app.use('*', observe({ metrics }));
  app.use('*', async (c, next) => {
    await next();
    // While draining, tell keep-alive clients to reconnect elsewhere.
    if (o.shuttingDown()) c.header('Connection', 'close');
  });
  app.use('*', unless((p) => UPLOAD_PATH.test(p), bodyLimit({ maxBytes: limits.maxBodyBytes })));
  app.use('/api/collections/:name/ingest', bodyLimit({ maxBytes: limits.maxUploadBytes }));
  app.use('*', deadline({ timeoutMs: limits.requestTimeoutMs }));

  app.route('/', systemRoutes(o));
  // Every request meets a Redis outage: counted each time, logged at most every 10 s (with how many were left out).
  const limiterWarning = throttledWarning(o.logger, 'rate limiter unavailable; requests let through');
  const onLimiterError = (err: unknown, requestId?: string) => {
    metrics.rateLimiterErrors.inc();
    limiterWarning({ requestId, err: o.redact((err as Error).message) });
  };
  app.route('/', oidcRoutes({ oidc: o.oidcLogin ?? null, limiter: o.limiter, perClient: limits.rateLimitPerKey, windowMs: limits.rateLimitWindowMs, onBackendError: onLimiterError, audit: services.audit }));

  const tokenLimits = { perUser: limits.tokenLimitPerUser, perTenant: limits.tokenLimitPerTenant };
  const noBuckets: RateBucket[] = [];
  const governed = [auth({ providers: o.identity }), rateLimit({
    limiter: o.limiter,
    perKey: limits.rateLimitPerKey,
    perTenant: limits.rateLimitPerTenant,
    windowMs: limits.rateLimitWindowMs,
    onLimited: (scope) => metrics.rateLimited.inc({ scope }),
    onBackendError: onLimiterError,
    // The chat and responses routes hand the decision to the pipeline, which guards the request while Redis answers
    // (bodies up to ADMIT_WHILE_GUARDING_BYTES: work spent on a request that turns out refused stays small).
    tokenBuckets: tokenLimits.perUser || tokenLimits.perTenant ? (c) => (c.req.method === 'POST' && SPENDS_TOKENS.test(c.req.path) ? tokenBuckets(tokenLimits, c.get('actor')) : noBuckets) : undefined,
    admitsLater: (c) => c.req.method === 'POST' && MODEL_CALL_PATHS.has(c.req.path) && Number(c.req.header('content-length') ?? Infinity) <= ADMIT_WHILE_GUARDING_BYTES,
  })];
  app.use('/v1/*', ...governed);
  app.use('/api/*', ...governed);

  app.route('/', chatRoutes(o));
  app.route('/', responsesRoutes(o));
  app.route('/', modelRoutes(o));
  app.route('/', embeddingRoutes(o));
  app.route('/', accountRoutes(o));
  app.route('/', collectionRoutes(o));
  app.route('/', searchRoutes(o));
  app.route('/', askRoutes(o));
  app.route('/', appRoutes(o));
  app.route('/', reviewRoutes(o));
  app.route('/', auditRoutes(o));
  app.route('/', adminRoutes(o));
  app.route('/', staticRoutes({ dir: o.webDir }));
  return app;
}
