import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { loadConfig, type ResolvedConfig } from '../config/load.js';
import { extend } from '../core/objects.js';
import { badInput } from '../core/errors.js';
import { createApp } from './app.js';
import { configuredKeys, plaintextKeys, publishKeys } from './auth/configured-keys.js';
import { keyReloader, type KeyReloadResult, type ReloadTrigger } from './auth/key-reload.js';
import { LiveKeys } from './auth/live-keys.js';
import { apiKeyProvider, OidcProvider, type IdentityProvider } from './auth/oidc.js';
import { OidcDiscovery } from './auth/oidc-discovery.js';
import { OidcLogin } from './auth/oidc-login.js';
import { composeServices } from './compose.js';
import { observeResult } from './governed.js';
import { MemoryRateLimiter, type RateLimiter } from './limits/rate-limiter.js';
import { connectRedis, RedisRateLimiter } from './limits/redis-rate-limiter.js';
import { tokenSpender } from './limits/token-limits.js';
import { createLogger, type Logger } from './log.js';
import { logTextFilter } from './log-text.js';
import { throttledWarning } from './log-throttle.js';
import { createGatewayMetrics, zeroPolicyOutcomes, type GatewayMetrics } from './metrics/gateway-metrics.js';
import { Redactor } from './redact.js';
import { withHandedOverStreams } from './sse.js';
import type { GatewayServices } from './services.js';
import type { UsageEntry } from './usage.js';
import { warmUp } from './warm-up.js';

export const GATEWAY_VERSION = '0.1.0';
const ROOT = path.resolve(import.meta.dirname, '..', '..');
/** Passes of the warm-up over its sample texts (warm-up.ts). */
const WARM_UP_ROUNDS = 100;

export interface StartOptions {
  config: ResolvedConfig;
  port?: number;
  host?: string;
  logger?: Logger;
  /** Prebuilt services (tests); otherwise composed from the config. */
  services?: GatewayServices;
  /** A rate limiter of the caller's (tests); otherwise Redis when `config.redis` is set, else memory. Closed with the gateway. */
  limiter?: RateLimiter;
  webDir?: string;
  /**
   * Reads the config again as at start (`hiraga serve` passes its own --config and --data-dir), for
   * `reloadKeys`. Absent: the file the config came from, if any (overrides given at start are not repeated).
   */
  reloadConfig?: () => ResolvedConfig;
}

export interface RunningGateway {
  url: string;
  port: number;
  server: Server;
  /** The Hono app (its `routes` are what /openapi.json must describe). */
  app: ReturnType<typeof createApp>;
  services: GatewayServices;
  metrics: GatewayMetrics;
  limiter: RateLimiter;
  /** The local admin key, only on the start that created it (print it once). */
  createdAdminKey?: string;
  adminKeyFile?: string;
  /**
   * Re-read the config and put its `auth.apiKeys` in force (SIGHUP, POST /api/admin/reload-keys); nothing else
   * of the config changes. Rejects with `config_invalid` and keeps the keys in force when the file is invalid.
   */
  reloadKeys(trigger: ReloadTrigger): Promise<KeyReloadResult>;
  /** Stop accepting, let in-flight requests and streams finish (up to server.shutdownGraceMs), then close everything. */
  close(): Promise<void>;
}

/** Secrets that must never appear in logs or error bodies. */
function configSecrets(config: ResolvedConfig): string[] {
  const out: string[] = plaintextKeys(config);
  for (const m of config.models) if ('apiKey' in m && m.apiKey && !m.apiKey.startsWith('env:')) out.push(m.apiKey);
  for (const m of config.models) if ('apiKey' in m && m.apiKey?.startsWith('env:')) out.push(process.env[m.apiKey.slice(4)] ?? '');
  if (config.retrieval.embeddings?.apiKey) out.push(config.retrieval.embeddings.apiKey);
  if (config.auth.oidc?.clientSecret) out.push(config.auth.oidc.clientSecret);
  for (const url of [config.redis, config.store.kind === 'postgres' ? config.store.url : undefined]) {
    try {
      if (url && new URL(url).password) out.push(decodeURIComponent(new URL(url).password));
    } catch {
      /* not a URL */
    }
  }
  return out;
}

/** Start `hiraga serve`: compose services, listen, and handle graceful shutdown. */
export async function startGateway(o: StartOptions): Promise<RunningGateway> {
  const { config } = o;
  const logger = o.logger ?? createLogger();
  const redactor = new Redactor(configSecrets(config));
  const redact = (t: string) => redactor.redact(t);
  const metrics = createGatewayMetrics();

  const { ring: initial, createdAdminKey, adminKeyFile } = configuredKeys(config, { createLocalAdmin: true });
  // The keys in force: one reference, swapped whole by a reload (auth/live-keys.ts).
  const ring = new LiveKeys(initial);
  publishKeys(ring, metrics, logger);
  const identity: IdentityProvider[] = [apiKeyProvider(ring)];
  let oidcLogin: OidcLogin | null = null;
  if (config.auth.oidc) {
    // One discovery document (cached) for token verification and the web UI's sign-in.
    const discovery = new OidcDiscovery(config.auth.oidc.issuer);
    const oidc = new OidcProvider(extend(config.auth.oidc, { discovery }));
    identity.push(oidc);
    oidcLogin = new OidcLogin(config.auth.oidc, oidc, discovery);
  }

  const limiter: RateLimiter = o.limiter ?? (config.redis ? new RedisRateLimiter(await connectRedis(config.redis)) : new MemoryRateLimiter());
  const windowMs = config.server.rateLimitWindowMs;
  const tokensWarning = throttledWarning(logger, 'rate limiter unavailable; calls’ tokens went uncounted');
  const spendTokens = tokenSpender(limiter, { perUser: config.server.tokenLimitPerUser, perTenant: config.server.tokenLimitPerTenant }, windowMs, (err) => {
    metrics.rateLimiterErrors.inc();
    tokensWarning({ err: redact((err as Error).message) });
  });
  const services =
    o.services ??
    (await composeServices(config, {
      logger,
      onResult: (_req, r) => observeResult(metrics, r),
      ...(spendTokens ? { onUsage: (e: UsageEntry) => spendTokens(e.tenant, e.user, e.usage.total_tokens) } : {}),
    }));
  zeroPolicyOutcomes(metrics, services.models.list().map((m) => m.id));
  // Errors' messages and stacks can quote a model server, which can quote the prompt: personal data masked before the log.
  const logText = logTextFilter(redact, services.guard);
  const fromFile = config.configPath;
  const reloadKeys = keyReloader({
    running: config,
    keys: ring,
    load: o.reloadConfig ?? (fromFile ? () => loadConfig({ configPath: fromFile, dataDir: config.dataDir }) : null),
    logger,
    metrics,
    audit: services.audit,
    addSecrets: (secrets) => redactor.add(secrets),
    redact,
  });

  let shuttingDown = false;
  const background = new Set<Promise<unknown>>();
  const app = createApp({
    services,
    metrics,
    logger,
    redact,
    logText,
    identity,
    keyRing: ring,
    reloadKeys,
    oidcLogin,
    limiter,
    webDir: o.webDir ?? path.join(ROOT, 'dist', 'web'),
    version: GATEWAY_VERSION,
    shuttingDown: () => shuttingDown,
    track(work) {
      background.add(work);
      void work.finally(() => background.delete(work));
    },
  });

  // Before the first connection. A node just started at 500 req/s: p99 of its first half second, median of five
  // starts, 400 ms without this and 180 with it (720 and 420 in a slower hour; docs/deployment.md). Adds ~150 ms to the start.
  const warmMs = await warmUp({ router: app.router, guard: services.guard }, WARM_UP_ROUNDS);
  logger.debug({ ms: Math.round(warmMs) }, 'warmed up');

  const listenPort = o.port ?? config.server.port;
  const listenHost = o.host ?? config.server.host;
  let server: Server;
  try {
    server = await new Promise<Server>((resolve, reject) => {
      const s = serve({ fetch: withHandedOverStreams(app.fetch), port: listenPort, hostname: listenHost }, () => resolve(s as Server));
      (s as Server).once('error', reject);
    });
  } catch (err) {
    // Nothing will serve: release what was opened (store, threads, timers, Redis), or the process would stay up.
    if (!o.services) await services.close().catch(() => {});
    if (!o.limiter) await limiter.close().catch(() => {});
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw badInput(`ポート ${listenPort}（${listenHost}）は使用中です / port ${listenPort} on ${listenHost} is already in use: stop the process using it, or choose another with --port (server.port)`, { reason: 'port_in_use', cause: err });
    }
    if (code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      throw badInput(`${listenHost}:${listenPort} で待ち受けできません / cannot listen on ${listenHost}:${listenPort} (${code}): choose another --port or --host (server.port, server.host)`, { reason: 'cannot_listen', cause: err });
    }
    throw err;
  }
  // Longer than a typical load balancer's idle timeout, so the balancer closes idle connections first.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.on('error', (err) => logger.error({ err: redact(err.message) }, 'server error'));
  const port = (server.address() as AddressInfo).port;
  const host = o.host ?? config.server.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  logger.info({ url, store: services.store.describe, limiter: limiter.kind, keys: ring.size }, 'hiraga gateway listening');

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      shuttingDown = true;
      const grace = config.server.shutdownGraceMs;
      const drained = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // A kept-alive connection whose last response (a stream) ends while draining goes idle, and Node does not
      // close it by itself: without this sweep, close() waited out the whole grace period for it.
      const sweep = setInterval(() => server.closeIdleConnections(), 100);
      sweep.unref();
      const timer = setTimeout(() => server.closeAllConnections(), grace);
      timer.unref();
      await drained;
      clearInterval(sweep);
      clearTimeout(timer);
      await Promise.race([Promise.allSettled([...background]), new Promise((r) => setTimeout(r, grace).unref())]);
      await services.close().catch((err) => logger.error({ err: redact((err as Error).message) }, 'closing services failed'));
      await limiter.close();
      logger.info('hiraga gateway stopped');
    })());

  return { url, port, server, app, services, metrics, limiter, ...(createdAdminKey ? { createdAdminKey } : {}), ...(adminKeyFile ? { adminKeyFile } : {}), reloadKeys, close };
}
