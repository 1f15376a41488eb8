import { Hono } from 'hono';
import { retentionDays } from '../../audit/retention.js';
import type { ResolvedConfig } from '../../config/load.js';
import type { Actor, Confidentiality } from '../../core/types.js';
import { DEFAULT_TYPE_LEVELS } from '../../guard/confidentiality.js';
import { decide, type PolicyAction } from '../../guard/policy.js';
import { mayUse } from '../../models/access.js';
import { budgetLimitOf } from '../../config/sections/budgets.js';
import type { KeyReloadResult, ReloadTrigger } from '../auth/key-reload.js';
import type { KeyRing } from '../auth/keyring.js';
import type { RouteDeps } from '../deps.js';
import type { GatewayEnv } from '../env.js';
import { badInput } from '../../core/errors.js';
import { requireRole } from '../middleware/auth.js';
import { seesAllTenants } from './account.js';

const LEVELS: Confidentiality[] = [1, 2, 3];
type PerLevel<T> = Record<'1' | '2' | '3', T>;
const perLevel = <T>(f: (level: Confidentiality) => T) => Object.fromEntries(LEVELS.map((l) => [String(l), f(l)])) as PerLevel<T>;

/**
 * The effective governance policy as an administrator of `actor`'s tenant may read it: built only from
 * non-secret config fields (no keys, no URLs, no headers), retention and models narrowed to the caller's
 * tenant unless they are a ministry-wide admin (tenant "*").
 */
export function policyView(config: ResolvedConfig, actor: Actor) {
  const { guard, review, audit, server } = config;
  const all = seesAllTenants(actor);
  const tenants = Object.fromEntries(Object.entries(audit.retention.tenants).filter(([t]) => all || t === actor.tenant));
  return {
    tenant: actor.tenant,
    guard: {
      /** What happens when a text of that level goes to a model whose clearance is below it (level 1 is always allowed). */
      policy: { '2': guard.policy['2'], '3': guard.policy['3'] },
      /** The level each personal-data type implies (built-in levels with guard.typeLevels applied). */
      typeLevels: { ...DEFAULT_TYPE_LEVELS, ...guard.typeLevels },
      restoreMasked: guard.restoreMasked,
    },
    models: config.models.filter((m) => mayUse(m, actor)).map((m) => ({
      id: m.id,
      ...(m.label ? { label: m.label } : {}),
      provider: m.provider,
      origin: m.origin,
      hosting: m.hosting,
      clearance: m.clearance,
      default: m.id === config.defaultModel,
      fallback: [...m.fallback],
      ...(m.tenants ? { tenants: [...m.tenants] } : {}),
      /** The outcome for a text of each level sent to this model. */
      levels: perLevel<PolicyAction>((l) => decide(l, m.clearance, guard.policy)),
    })),
    budgets: {
      tenant: actor.tenant,
      /** The monthly limit of the caller's tenant (null: none). */
      limit: budgetLimitOf(config.budgets, actor.tenant) ?? null,
      refreshMs: config.budgets.refreshMs,
      ...(all ? { default: config.budgets.default ?? null, tenants: config.budgets.tenants } : {}),
    },
    review: { require: { ...review.require }, allowSelfReview: review.allowSelfReview },
    audit: {
      durability: audit.durability,
      retentionDays: {
        /** What applies to the caller's tenant, per level (0 = content is never kept). */
        effective: perLevel((l) => retentionDays(audit.retention, actor.tenant, l)),
        default: { ...audit.retention.default },
        tenants,
      },
    },
    rateLimits: {
      perKey: server.rateLimitPerKey,
      perTenant: server.rateLimitPerTenant,
      windowMs: server.rateLimitWindowMs,
      tokensPerUser: server.tokenLimitPerUser ?? null,
      tokensPerTenant: server.tokenLimitPerTenant ?? null,
    },
    limits: {
      maxBodyBytes: server.maxBodyBytes,
      maxUploadBytes: server.maxUploadBytes,
      maxFileBytes: config.retrieval.maxFileBytes,
      maxMessages: server.maxMessages,
      maxMessageChars: server.maxMessageChars,
      requestTimeoutMs: server.requestTimeoutMs,
    },
  };
}

/** 管理: the effective policy and the API key users, read-only, and the reload of the API keys, for admins. */
export function adminRoutes({ services, keyRing, reloadKeys }: RouteDeps & { keyRing: Pick<KeyRing, 'list'>; reloadKeys?: ((trigger: ReloadTrigger) => Promise<KeyReloadResult>) | undefined }) {
  const app = new Hono<GatewayEnv>();
  app.use('/api/admin/*', requireRole('admin'));

  app.get('/api/admin/policies', (c) => c.json(policyView(services.config, c.get('actor'))));

  /** The API keys of the caller's tenant (every tenant for tenant "*"): who, role, tenant and the key id — never the key. */
  app.get('/api/admin/users', async (c) => {
    const actor = c.get('actor');
    const all = seesAllTenants(actor);
    const keys = keyRing.list().filter((k) => all || k.tenant === actor.tenant);
    // When each key was last used: its newest audit event (every governed call and admin change records one).
    const seen = await services.audit.lastSeen(keys.map((k) => k.keyHint));
    return c.json(keys.map((k) => Object.assign(k, { lastUsedAt: seen.get(k.keyHint) ?? null })));
  });

  /**
   * Re-read the config file on this node and put its auth.apiKeys in force, as SIGHUP does (audited with the
   * caller's credential). Counts only: the key ids are in the audit event. 409 config_invalid keeps the old keys.
   */
  app.post('/api/admin/reload-keys', async (c) => {
    if (!reloadKeys) throw badInput('this gateway was started without a config file to re-read; restart it to change its keys', { reason: 'config_invalid' });
    const actor = c.get('actor');
    const r = await reloadKeys({ actor });
    // The file holds every tenant's keys: an administrator of one tenant is told about that tenant's only.
    if (seesAllTenants(actor)) return c.json({ keys: r.keys, added: r.added.length, removed: r.removed.length, changed: r.changed.length, notApplied: r.notApplied });
    const mine = (ids: string[]) => ids.filter((id) => r.tenants.get(id)?.includes(actor.tenant)).length;
    const keys = keyRing.list().filter((k) => k.tenant === actor.tenant).length;
    return c.json({ keys, added: mine(r.added), removed: mine(r.removed), changed: mine(r.changed), notApplied: r.notApplied });
  });
  return app;
}
