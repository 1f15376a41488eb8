import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { HiragaError, notFound } from '../../core/errors.js';
import type { AuditSink } from '../../audit/types.js';
import type { OidcLogin } from '../auth/oidc-login.js';
import type { GatewayEnv } from '../env.js';
import type { RateLimiter } from '../limits/rate-limiter.js';
import { readBody } from '../request.js';

export interface OidcRouteOptions {
  /** null when auth.oidc is not configured: both routes answer 404. */
  oidc: OidcLogin | null;
  limiter: RateLimiter;
  /** Code exchanges per client address per window (server.rateLimitPerKey). */
  perClient: number;
  windowMs: number;
  onBackendError?: (err: unknown, requestId?: string) => void;
  /** Each successful sign-in is an audit event (action "login"). */
  audit?: AuditSink;
}

const required = (what: string) => ({ error: (i: { input: unknown }) => (i.input === undefined ? `required: ${what}` : `must be a string: ${what}`) });

const exchangeBody = z.object({
  code: z.string(required('the authorization code from the redirect')).min(1, 'required: the authorization code from the redirect').max(4096),
  codeVerifier: z
    .string(required('the PKCE code_verifier of the authorization request'))
    .regex(/^[A-Za-z0-9._~-]{43,128}$/, 'a PKCE code_verifier is 43–128 characters of A–Z a–z 0–9 - . _ ~ (RFC 7636)'),
  redirectUri: z.url({ protocol: /^https?$/, error: (i) => (i.input === undefined ? 'required: the redirect_uri of the authorization request' : 'must be an absolute http(s) URL') }),
  nonce: z.string().min(1).max(512).optional(),
});

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

/**
 * The web UI's sign-in with the organisation's identity provider (OIDC authorization code + PKCE),
 * outside /api and /v1 because the caller has no credential yet:
 *   GET  /auth/oidc/config → where to send the browser (no secret)
 *   POST /auth/oidc/token  → the code exchanged at the issuer's token endpoint, the ID token verified
 * Body limits and the request deadline apply as everywhere; the exchange is rate limited per client address.
 */
export function oidcRoutes(o: OidcRouteOptions) {
  const app = new Hono<GatewayEnv>();
  const configured = () => {
    if (!o.oidc) throw notFound('組織のアカウントでのログイン（OIDC）は設定されていません / OIDC sign-in is not configured (auth.oidc)', { reason: 'oidc_not_configured' });
    return o.oidc;
  };

  app.get('/auth/oidc/config', async (c) => {
    const oidc = configured();
    return c.json(await oidc.publicConfig(), 200, { 'cache-control': 'no-cache' });
  });

  app.post('/auth/oidc/token', async (c) => {
    const oidc = configured();
    await limit(c, o);
    const body = await readBody(c, exchangeBody);
    const session = await oidc.exchange({ ...body, signal: c.get('signal') });
    await o.audit?.append({ actor: { user: session.user, role: session.role, tenant: session.tenant }, action: 'login', outcome: 'allow', detail: { method: 'oidc' } });
    return c.json(session, 200, NO_STORE);
  });
  return app;
}

async function limit(c: Context<GatewayEnv>, o: OidcRouteOptions): Promise<void> {
  let address = 'unknown';
  try {
    address = getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    /* not served by node (app.request in a test) */
  }
  let decision;
  try {
    decision = await o.limiter.hit([{ key: `oidc:${address}`, limit: o.perClient }], o.windowMs);
  } catch (err) {
    o.onBackendError?.(err, c.get('requestId'));
    return;
  }
  if (!decision.allowed) {
    const retryAfterSeconds = Math.max(1, Math.ceil(decision.resetMs / 1000));
    throw new HiragaError('rate_limited', `ログインの試行回数の上限に達しました。${retryAfterSeconds}秒後に再試行してください / too many sign-in attempts from this address; retry after ${retryAfterSeconds} s`, {
      reason: 'rate_limit_exceeded',
      details: { retryAfterSeconds, scope: 'client' },
    });
  }
}
