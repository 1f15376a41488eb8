/**
 * A small stand-in OpenID Provider on 127.0.0.1 for tests: discovery, JWKS (a fresh RS256 key pair),
 * an authorize endpoint that signs the user in at once and redirects back to redirect_uri with code
 * and state, and a token endpoint that checks the code, the PKCE verifier (S256) against the recorded
 * challenge, redirect_uri and the client credentials (client_secret_post or client_secret_basic),
 * and returns an RS256 id_token with iss, aud, exp, iat, sub, preferred_username, nonce and whatever
 * extra claims (role, tenant) the test sets.
 *
 *   const idp = await startOidcIssuer({ clientId: 'hiraga', clientSecret: 's3cret' });
 *   // auth.oidc.issuer = idp.issuer; inspect idp.tokenRequests afterwards; await idp.close();
 *
 * Run standalone: `node --import tsx test/helpers/oidc-issuer.ts [--port 9102] [--client-id hiraga] [--redirect-uri URL] [--role staff] [--tenant default]`.
 *
 * It is NOT an identity provider: there is no login page and every authorization request succeeds.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

export interface OidcIssuerOptions {
  port?: number;
  clientId: string;
  /** Required at the token endpoint when set (a confidential client). */
  clientSecret?: string;
  /** Path of the issuer under the origin (default /realms/hiraga, Keycloak-like). */
  path?: string;
  /** Claims of the signed-in user (merged over sub/preferred_username defaults). */
  claims?: Record<string, unknown>;
  /** Lifetime of issued ID tokens (default 3600 s). */
  ttlSeconds?: number;
  /** Redirect URIs the client registered; when empty, any http(s) URI is accepted. */
  redirectUris?: string[];
  /** token_endpoint_auth_methods_supported (default both post and basic). */
  authMethods?: string[];
}

export interface AuthorizationRecord {
  code: string;
  clientId: string;
  redirectUri: string;
  state: string | null;
  nonce: string | null;
  scope: string | null;
  codeChallenge: string;
  codeChallengeMethod: string;
  claims: Record<string, unknown>;
  used: boolean;
}

export interface TokenRequestRecord {
  /** The form fields as received (client_secret included when sent that way). */
  form: Record<string, string>;
  /** The Authorization header, if any. */
  authorization: string | undefined;
  status: number;
}

export interface OidcIssuer {
  /** The issuer identifier (no trailing slash), e.g. http://127.0.0.1:40123/realms/hiraga */
  issuer: string;
  origin: string;
  port: number;
  /** Mutable: claims of the next user to sign in, lifetime, registered redirect URIs, discovery overrides. */
  claims: Record<string, unknown>;
  ttlSeconds: number;
  redirectUris: string[];
  /** Fields merged over the discovery document (e.g. a token_endpoint on another origin). */
  discoveryOverrides: Record<string, unknown>;
  authorizations: AuthorizationRecord[];
  tokenRequests: TokenRequestRecord[];
  discoveryRequests: number;
  /** Sign arbitrary claims with the issuer's key (for tampering and expiry tests). */
  sign(claims: Record<string, unknown>, header?: Record<string, unknown>): string;
  /** Run an authorization request without a browser: the code and state from the redirect. */
  authorize(params: Record<string, string>): Promise<{ status: number; location: string | null; code: string | null; state: string | null }>;
  close(): Promise<void>;
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');
export const pkceChallenge = (verifier: string) => b64url(crypto.createHash('sha256').update(verifier).digest());
export const randomVerifier = () => b64url(crypto.randomBytes(32));

export async function startOidcIssuer(opts: OidcIssuerOptions): Promise<OidcIssuer> {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = `test-${crypto.randomBytes(4).toString('hex')}`;
  const jwk = { ...(publicKey.export({ format: 'jwk' }) as Record<string, unknown>), kid, alg: 'RS256', use: 'sig' };
  const base = (opts.path ?? '/realms/hiraga').replace(/\/$/, '');
  const codes = new Map<string, AuthorizationRecord>();

  const state: OidcIssuer = {
    issuer: '',
    origin: '',
    port: 0,
    claims: { sub: 'user-0001', preferred_username: 'tanaka.hanako', ...(opts.claims ?? {}) },
    ttlSeconds: opts.ttlSeconds ?? 3600,
    redirectUris: [...(opts.redirectUris ?? [])],
    discoveryOverrides: {},
    authorizations: [],
    tokenRequests: [],
    discoveryRequests: 0,
    sign(claims, header = {}) {
      const h = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid, ...header }));
      const p = b64url(JSON.stringify(claims));
      return `${h}.${p}.${b64url(crypto.sign('sha256', Buffer.from(`${h}.${p}`), privateKey))}`;
    },
    async authorize(params) {
      const url = new URL(`${state.issuer}/protocol/openid-connect/auth`);
      for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
      const res = await fetch(url, { redirect: 'manual' });
      await res.text();
      const location = res.headers.get('location');
      const back = location ? new URL(location) : null;
      return { status: res.status, location, code: back?.searchParams.get('code') ?? null, state: back?.searchParams.get('state') ?? null };
    },
    close: async () => {},
  };

  const json = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
    res.end(JSON.stringify(body));
  };
  const redirectAllowed = (uri: string) => {
    try {
      const u = new URL(uri);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') return false;
    } catch {
      return false;
    }
    return state.redirectUris.length === 0 || state.redirectUris.includes(uri);
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', state.origin);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const p = url.pathname;
      if (req.method === 'GET' && p === `${base}/.well-known/openid-configuration`) {
        state.discoveryRequests++;
        return json(res, 200, {
          issuer: state.issuer,
          authorization_endpoint: `${state.issuer}/protocol/openid-connect/auth`,
          token_endpoint: `${state.issuer}/protocol/openid-connect/token`,
          jwks_uri: `${state.issuer}/protocol/openid-connect/certs`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          code_challenge_methods_supported: ['S256'],
          token_endpoint_auth_methods_supported: opts.authMethods ?? ['client_secret_post', 'client_secret_basic'],
          scopes_supported: ['openid', 'profile', 'email'],
          ...state.discoveryOverrides,
        });
      }
      if (req.method === 'GET' && p === `${base}/protocol/openid-connect/certs`) return json(res, 200, { keys: [jwk] });

      if (req.method === 'GET' && p === `${base}/protocol/openid-connect/auth`) {
        const q = url.searchParams;
        const redirectUri = q.get('redirect_uri') ?? '';
        // Per OAuth 2.0, a bad client or redirect URI is shown to the user, never redirected to.
        if (q.get('client_id') !== opts.clientId) return json(res, 400, { error: 'invalid_request', error_description: 'unknown client_id' });
        if (!redirectAllowed(redirectUri)) return json(res, 400, { error: 'invalid_request', error_description: 'redirect_uri not registered' });
        const back = new URL(redirectUri);
        if (q.get('state') !== null) back.searchParams.set('state', q.get('state')!);
        const fail = (error: string, description: string) => {
          back.searchParams.set('error', error);
          back.searchParams.set('error_description', description);
          res.writeHead(302, { location: back.toString() });
          res.end();
        };
        if (q.get('response_type') !== 'code') return fail('unsupported_response_type', 'only response_type=code');
        if (!(q.get('scope') ?? '').split(' ').includes('openid')) return fail('invalid_scope', 'scope must include openid');
        const challenge = q.get('code_challenge');
        if (!challenge || q.get('code_challenge_method') !== 'S256') return fail('invalid_request', 'PKCE with S256 is required');
        const code = b64url(crypto.randomBytes(24));
        const record: AuthorizationRecord = {
          code,
          clientId: opts.clientId,
          redirectUri,
          state: q.get('state'),
          nonce: q.get('nonce'),
          scope: q.get('scope'),
          codeChallenge: challenge,
          codeChallengeMethod: 'S256',
          claims: { ...state.claims },
          used: false,
        };
        codes.set(code, record);
        state.authorizations.push(record);
        back.searchParams.set('code', code);
        res.writeHead(302, { location: back.toString() });
        return res.end();
      }

      if (req.method === 'POST' && p === `${base}/protocol/openid-connect/token`) {
        const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
        const record: TokenRequestRecord = { form, authorization: req.headers.authorization, status: 0 };
        state.tokenRequests.push(record);
        const reply = (status: number, body: unknown) => {
          record.status = status;
          json(res, status, body);
        };
        // Client authentication: HTTP Basic or client_secret in the body.
        let clientId: string | undefined = form.client_id;
        let secret: string | undefined = form.client_secret;
        const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
        if (basic) {
          const [id, pw] = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':') as [string, string | undefined];
          clientId = decodeURIComponent(id);
          secret = pw === undefined ? undefined : decodeURIComponent(pw);
        }
        if (clientId !== opts.clientId || (opts.clientSecret !== undefined && secret !== opts.clientSecret)) return reply(401, { error: 'invalid_client' });
        if (form.grant_type !== 'authorization_code') return reply(400, { error: 'unsupported_grant_type' });
        const auth = codes.get(form.code ?? '');
        if (!auth || auth.used) return reply(400, { error: 'invalid_grant', error_description: 'unknown or used code' });
        auth.used = true;
        if (form.redirect_uri !== auth.redirectUri) return reply(400, { error: 'invalid_grant', error_description: 'redirect_uri mismatch' });
        if (!form.code_verifier || pkceChallenge(form.code_verifier) !== auth.codeChallenge) return reply(400, { error: 'invalid_grant', error_description: 'PKCE verification failed' });
        const now = Math.floor(Date.now() / 1000);
        const idToken = state.sign({
          iss: state.issuer,
          aud: opts.clientId,
          azp: opts.clientId,
          iat: now,
          exp: now + state.ttlSeconds,
          ...(auth.nonce !== null ? { nonce: auth.nonce } : {}),
          ...auth.claims,
        });
        return reply(200, { access_token: b64url(crypto.randomBytes(24)), token_type: 'Bearer', expires_in: state.ttlSeconds, id_token: idToken, scope: auth.scope });
      }
      json(res, 404, { error: 'not_found' });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  state.port = (server.address() as AddressInfo).port;
  state.origin = `http://127.0.0.1:${state.port}`;
  state.issuer = `${state.origin}${base}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return state;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const redirect = arg('--redirect-uri');
  const idp = await startOidcIssuer({
    port: Number(arg('--port') ?? 9102),
    clientId: arg('--client-id') ?? 'hiraga',
    claims: { hiraga_role: arg('--role') ?? 'staff', hiraga_tenant: arg('--tenant') ?? 'default' },
    ...(redirect ? { redirectUris: [redirect] } : {}),
  });
  process.stdout.write(`test OIDC issuer (signs everyone in, not an identity provider) at ${idp.issuer}\n`);
  process.on('SIGINT', () => void idp.close().then(() => process.exit(0)));
  process.on('SIGTERM', () => void idp.close().then(() => process.exit(0)));
}
