import { toAbortSignal } from '../../core/cancel.js';
import { badInput, HiragaError, upstreamError } from '../../core/errors.js';
import type { Role } from '../../core/types.js';
import { unauthorized } from '../http-errors.js';
import type { OidcProvider } from './oidc.js';
import { onIssuerOrigin, type OidcDiscovery } from './oidc-discovery.js';

export interface OidcLoginOptions {
  issuer: string;
  clientId: string;
  /** A confidential client's secret: sent to the token endpoint only, never to the browser. */
  clientSecret?: string | undefined;
  /** The registered redirect URI; when set, the code exchange accepts no other. */
  redirectUri?: string | undefined;
  scope: string;
  fetch?: typeof fetch;
  /** Per request to the token endpoint (default 10 s). */
  timeoutMs?: number;
}

/** What GET /auth/oidc/config tells the web UI: enough to start the authorization-code flow, no secret. */
export interface OidcPublicConfig {
  issuer: string;
  clientId: string;
  authorizationEndpoint: string;
  scope: string;
  /** The configured redirect URI, or null: the UI then uses <its origin>/oidc/callback. */
  redirectUri: string | null;
}

export interface CodeExchange {
  code: string;
  codeVerifier: string;
  redirectUri: string;
  /** The nonce the UI put in the authorization request; the ID token must carry it. */
  nonce?: string | undefined;
  signal?: AbortSignal;
}

export interface OidcSession {
  idToken: string;
  /** ISO 8601, from the ID token's exp. */
  expiresAt: string;
  user: string;
  role: Role;
  tenant: string;
}

const unavailable = (message: string, cause?: unknown) =>
  upstreamError(`組織の認証サーバー（OIDC）に接続できません / the identity provider could not be reached: ${message}`, { reason: 'oidc_unavailable', ...(cause ? { cause } : {}) });

/**
 * The web UI's authorization-code flow with PKCE, exchanged through the gateway: the browser gets
 * the authorization endpoint from `publicConfig()`, and hands the code and its PKCE verifier to
 * `exchange()`, which posts them to the configured issuer's token endpoint (with the client secret
 * when there is one) and verifies the returned ID token with the same OidcProvider that checks every
 * bearer token. Endpoints come only from the configured issuer's discovery document and must be on
 * the issuer's origin; nothing the caller sends chooses where the gateway connects.
 */
export class OidcLogin {
  private readonly fetchFn: typeof fetch;

  constructor(
    private readonly opts: OidcLoginOptions,
    private readonly verifier: Pick<OidcProvider, 'verify'>,
    private readonly discovery: OidcDiscovery,
  ) {
    this.fetchFn = opts.fetch ?? fetch;
  }

  async publicConfig(): Promise<OidcPublicConfig> {
    const { authorization_endpoint } = await this.endpoints();
    return { issuer: this.opts.issuer, clientId: this.opts.clientId, authorizationEndpoint: authorization_endpoint, scope: this.opts.scope, redirectUri: this.opts.redirectUri ?? null };
  }

  async exchange(x: CodeExchange): Promise<OidcSession> {
    if (this.opts.redirectUri && x.redirectUri !== this.opts.redirectUri) {
      throw badInput(`redirectUri は設定されたリダイレクトURI（auth.oidc.redirectUri）と一致しなければなりません / redirectUri must be the configured auth.oidc.redirectUri`, {
        reason: 'redirect_uri_mismatch',
        details: { param: 'redirectUri' },
      });
    }
    const disco = await this.endpoints();
    const form = new URLSearchParams({ grant_type: 'authorization_code', code: x.code, redirect_uri: x.redirectUri, code_verifier: x.codeVerifier, client_id: this.opts.clientId });
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    if (this.opts.clientSecret) {
      // client_secret_post when the issuer offers it, else HTTP Basic (the default of RFC 6749 and OIDC Core).
      const methods = disco.token_endpoint_auth_methods_supported ?? ['client_secret_basic'];
      if (methods.includes('client_secret_post')) form.set('client_secret', this.opts.clientSecret);
      else headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(this.opts.clientId)}:${encodeURIComponent(this.opts.clientSecret)}`).toString('base64')}`;
    }
    const timeout = AbortSignal.timeout(this.opts.timeoutMs ?? 10_000);
    let res: Response;
    try {
      // redirect: manual — a redirect would re-send the code and the secret somewhere else.
      res = await this.fetchFn(disco.token_endpoint, { method: 'POST', headers, body: form.toString(), redirect: 'manual', signal: x.signal ? AbortSignal.any([toAbortSignal(x.signal), timeout]) : timeout });
    } catch (err) {
      throw unavailable(`token endpoint: ${(err as Error).message}`, err);
    }
    const body = await res.json().catch(() => null) as { id_token?: unknown; error?: unknown } | null;
    if (res.status === 400 || res.status === 401) {
      const error = typeof body?.error === 'string' ? body.error.slice(0, 64) : `HTTP ${res.status}`;
      if (error === 'invalid_client' || error === 'unauthorized_client') {
        // The gateway's own client registration is wrong: nothing the user can fix.
        throw upstreamError(`認証サーバーがhiragaのクライアント設定を拒否しました（auth.oidc.clientId / clientSecret を確認してください） / the identity provider refused hiraga's client credentials (${error}); check auth.oidc.clientId and clientSecret`, {
          reason: 'oidc_client_rejected',
        });
      }
      throw unauthorized(`認証サーバーが認可コードを受け付けませんでした。もう一度ログインしてください / the identity provider rejected the authorization code (${error}); sign in again`, 'oidc_code_rejected');
    }
    if (!res.ok) throw unavailable(`token endpoint answered HTTP ${res.status}`);
    if (typeof body?.id_token !== 'string') throw unavailable('the token endpoint returned no id_token (is "openid" in the scope?)');
    const idToken = body.id_token;

    let verified;
    try {
      verified = await this.verifier.verify(idToken);
    } catch (err) {
      throw unavailable(`signing keys: ${(err as Error).message}`, err);
    }
    if (!verified) throw unauthorized('認証サーバーから受け取ったIDトークンを検証できませんでした / the ID token from the identity provider did not verify (signature, issuer, audience or expiry)', 'oidc_token_invalid');
    if (x.nonce !== undefined && verified.claims.nonce !== x.nonce) {
      throw unauthorized('IDトークンのnonceがログイン要求と一致しません。もう一度ログインしてください / the ID token\'s nonce does not match the sign-in request; sign in again', 'oidc_token_invalid');
    }
    const { user, role, tenant } = verified.actor;
    return { idToken, expiresAt: new Date(Number(verified.claims.exp) * 1000).toISOString(), user, role, tenant };
  }

  /** The discovery document with authorization and token endpoints on the issuer's origin. */
  private async endpoints() {
    let disco;
    try {
      disco = await this.discovery.get();
    } catch (err) {
      throw unavailable((err as Error).message, err);
    }
    const { authorization_endpoint, token_endpoint } = disco;
    for (const [name, url] of [['authorization_endpoint', authorization_endpoint], ['token_endpoint', token_endpoint]] as const) {
      if (!onIssuerOrigin(url, this.opts.issuer)) {
        throw new HiragaError('upstream', `認証サーバーの設定情報が不正です / the issuer's discovery document gives no ${name} on the issuer's own origin (${new URL(this.opts.issuer).origin}); hiraga will not use it`, {
          reason: 'oidc_discovery_rejected',
        });
      }
    }
    return { ...disco, authorization_endpoint: authorization_endpoint as string, token_endpoint: token_endpoint as string };
  }
}
