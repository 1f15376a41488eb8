/**
 * The web UI's OIDC sign-in through the gateway (authorization code + PKCE S256), against a stand-in
 * issuer on 127.0.0.1 (test/helpers/oidc-issuer.ts) and a real gateway on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../src/gateway/server.js';
import { pkceChallenge, randomVerifier, startOidcIssuer, type OidcIssuer, type OidcIssuerOptions } from '../helpers/oidc-issuer.js';
import { apiKeys, call, KEYS, startTestGateway, testConfig } from './helpers.js';

const CLIENT_ID = 'hiraga-web';
const SECRET = 'oidc-client-secret-never-in-a-response-7f3a';
const REDIRECT = 'https://hiraga.example.go.jp/oidc/callback';
const USER = { sub: 'u-4711', preferred_username: 'tanaka.hanako', hiraga_role: 'reviewer', hiraga_tenant: 'minato' };

/** Every response these tests saw, to prove the client secret never left the gateway. */
const seen: string[] = [];
async function rec(...args: Parameters<typeof call>) {
  const r = await call(...args);
  seen.push(`${r.status} ${JSON.stringify([...r.headers])} ${r.text}`);
  return r;
}

const started: { close(): Promise<void> }[] = [];
async function gatewayFor(oidc: Record<string, unknown> | null): Promise<RunningGateway> {
  const gw = await startTestGateway(testConfig({ models: [], defaultModel: 'extractive', auth: { apiKeys: apiKeys(), ...(oidc ? { oidc } : {}) } }));
  started.push(gw);
  return gw;
}
async function issuer(opts: Partial<OidcIssuerOptions> = {}): Promise<OidcIssuer> {
  const idp = await startOidcIssuer({ clientId: CLIENT_ID, clientSecret: SECRET, claims: USER, ...opts });
  started.push(idp);
  return idp;
}

/** What the browser does: send the user to the authorize endpoint and pick the code off the redirect. */
async function authorize(idp: OidcIssuer, o: { nonce?: string; redirectUri?: string } = {}) {
  const verifier = randomVerifier();
  const r = await idp.authorize({
    response_type: 'code',
    client_id: CLIENT_ID,
    redirect_uri: o.redirectUri ?? REDIRECT,
    scope: 'openid profile email',
    state: 'state-123',
    ...(o.nonce ? { nonce: o.nonce } : {}),
    code_challenge: pkceChallenge(verifier),
    code_challenge_method: 'S256',
  });
  expect(r.status).toBe(302);
  expect(r.state).toBe('state-123');
  return { code: r.code!, verifier };
}

let idp: OidcIssuer;
let gw: RunningGateway;
let plain: RunningGateway;

beforeAll(async () => {
  idp = await issuer();
  [gw, plain] = await Promise.all([gatewayFor({ issuer: idp.issuer, clientId: CLIENT_ID, clientSecret: SECRET, redirectUri: REDIRECT }), gatewayFor(null)]);
}, 60_000);
afterAll(async () => {
  await Promise.allSettled(started.map((s) => s.close()));
});

describe('GET /auth/oidc/config', () => {
  it('is 404 (OpenAI error shape) when OIDC is not configured, and so is the code exchange', async () => {
    const r = await rec(plain, '/auth/oidc/config');
    expect(r.status).toBe(404);
    expect(r.json.error).toMatchObject({ type: 'invalid_request_error', code: 'oidc_not_configured' });
    const t = await rec(plain, '/auth/oidc/token', { body: { code: 'x', codeVerifier: randomVerifier(), redirectUri: REDIRECT } });
    expect(t.status).toBe(404);
  });

  it('gives the browser what it needs to start the flow, without credentials and without the secret; the discovery document is cached', async () => {
    const before = idp.discoveryRequests;
    const r = await rec(gw, '/auth/oidc/config');
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      issuer: idp.issuer,
      clientId: CLIENT_ID,
      authorizationEndpoint: `${idp.issuer}/protocol/openid-connect/auth`,
      scope: 'openid profile email',
      redirectUri: REDIRECT,
    });
    await rec(gw, '/auth/oidc/config');
    expect(idp.discoveryRequests - before).toBeLessThanOrEqual(1);
  });
});

describe('POST /auth/oidc/token', () => {
  it('exchanges the code at the issuer and returns a verified ID token that works as the Bearer credential with role and tenant from the claims', async () => {
    const nonce = 'nonce-abc-123';
    const { code, verifier } = await authorize(idp, { nonce });
    const t = await rec(gw, '/auth/oidc/token', { body: { code, codeVerifier: verifier, redirectUri: REDIRECT, nonce } });
    expect(t.status).toBe(200);
    expect(t.headers.get('cache-control')).toBe('no-store');
    expect(t.json).toMatchObject({ user: 'tanaka.hanako', role: 'reviewer', tenant: 'minato', idToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/) });
    expect(Object.keys(t.json).sort()).toEqual(['expiresAt', 'idToken', 'role', 'tenant', 'user']);
    const expiresIn = Date.parse(t.json.expiresAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(3500_000);
    expect(expiresIn).toBeLessThanOrEqual(3600_000);

    // What reached the issuer: the authorization_code grant with the verifier, client id and secret.
    const sent = idp.tokenRequests.at(-1)!;
    expect(sent.form).toMatchObject({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT, client_id: CLIENT_ID, client_secret: SECRET });

    const me = await rec(gw, '/api/me', { key: t.json.idToken });
    expect(me.status).toBe(200);
    expect(me.json).toEqual({ user: 'tanaka.hanako', role: 'reviewer', tenant: 'minato' });
    expect((await rec(gw, '/api/review?status=pending', { key: t.json.idToken })).status).toBe(200); // a reviewer's route
    expect((await rec(gw, '/api/admin/users', { key: t.json.idToken })).status).toBe(403); // not an admin

    // The sign-in is in the audit trail, as who signed in and how.
    const logins = (await gw.services.audit.query({ action: 'login' })).filter((e) => e.actor.user === 'tanaka.hanako');
    expect(logins.length).toBe(1);
    expect(logins[0]).toMatchObject({ action: 'login', outcome: 'allow', actor: { user: 'tanaka.hanako', role: 'reviewer', tenant: 'minato' }, detail: { method: 'oidc' } });

    // A code is good once.
    const again = await rec(gw, '/auth/oidc/token', { body: { code, codeVerifier: verifier, redirectUri: REDIRECT, nonce } });
    expect(again.status).toBe(401);
    expect(again.json.error.code).toBe('oidc_code_rejected');
  });

  it('401 when the PKCE verifier is not the one the challenge was made from', async () => {
    const { code } = await authorize(idp);
    const r = await rec(gw, '/auth/oidc/token', { body: { code, codeVerifier: randomVerifier(), redirectUri: REDIRECT } });
    expect(r.status).toBe(401);
    expect(r.json.error).toMatchObject({ type: 'authentication_error', code: 'oidc_code_rejected' });
  });

  it('401 when the ID token carries another nonce than the browser sent', async () => {
    const { code, verifier } = await authorize(idp, { nonce: 'the-real-nonce' });
    const r = await rec(gw, '/auth/oidc/token', { body: { code, codeVerifier: verifier, redirectUri: REDIRECT, nonce: 'a-replayed-nonce' } });
    expect(r.status).toBe(401);
    expect(r.json.error.code).toBe('oidc_token_invalid');
  });

  it('401 when the issuer hands back an ID token that does not verify (audience of another client)', async () => {
    const saved = idp.claims;
    idp.claims = { ...USER, aud: 'some-other-client' };
    try {
      const { code, verifier } = await authorize(idp);
      const r = await rec(gw, '/auth/oidc/token', { body: { code, codeVerifier: verifier, redirectUri: REDIRECT } });
      expect(r.status).toBe(401);
      expect(r.json.error.code).toBe('oidc_token_invalid');
    } finally {
      idp.claims = saved;
    }
  });

  it('a tampered ID token is refused on /api/me', async () => {
    const { code, verifier } = await authorize(idp);
    const { idToken } = (await rec(gw, '/auth/oidc/token', { body: { code, codeVerifier: verifier, redirectUri: REDIRECT } })).json;
    const [h, p, s] = idToken.split('.');
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, hiraga_role: 'admin', hiraga_tenant: '*' })).toString('base64url')}.${s}`;
    const me = await rec(gw, '/api/me', { key: forged });
    expect(me.status).toBe(401);
    expect(me.json.error.type).toBe('authentication_error');
    // Signed by the issuer but expired: refused too.
    const old = idp.sign({ ...claims, iat: 1_600_000_000, exp: 1_600_000_600 });
    expect((await rec(gw, '/api/me', { key: old })).status).toBe(401);
  });

  it('400 naming the missing or malformed field', async () => {
    const missingCode = await rec(gw, '/auth/oidc/token', { body: { codeVerifier: randomVerifier(), redirectUri: REDIRECT } });
    expect(missingCode.status).toBe(400);
    expect(missingCode.json.error).toMatchObject({ type: 'invalid_request_error', param: 'code' });
    expect(missingCode.json.error.message).toContain('code');
    const missingVerifier = await rec(gw, '/auth/oidc/token', { body: { code: 'abc', redirectUri: REDIRECT } });
    expect(missingVerifier.json.error.param).toBe('codeVerifier');
    const shortVerifier = await rec(gw, '/auth/oidc/token', { body: { code: 'abc', codeVerifier: 'short', redirectUri: REDIRECT } });
    expect(shortVerifier.json.error.param).toBe('codeVerifier');
    const missingRedirect = await rec(gw, '/auth/oidc/token', { body: { code: 'abc', codeVerifier: randomVerifier() } });
    expect(missingRedirect.json.error.param).toBe('redirectUri');
    expect((await rec(gw, '/auth/oidc/token', { raw: '{not json' })).status).toBe(400);
  });

  it('400 for a redirect URI other than the configured one, without asking the issuer', async () => {
    const before = idp.tokenRequests.length;
    const r = await rec(gw, '/auth/oidc/token', { body: { code: 'abc', codeVerifier: randomVerifier(), redirectUri: 'https://evil.example/cb' } });
    expect(r.status).toBe(400);
    expect(r.json.error).toMatchObject({ code: 'redirect_uri_mismatch', param: 'redirectUri' });
    expect(idp.tokenRequests.length).toBe(before);
  });

  it('413 for a body over server.maxBodyBytes', async () => {
    const r = await rec(gw, '/auth/oidc/token', { raw: JSON.stringify({ code: 'x'.repeat(1_100_000), codeVerifier: randomVerifier(), redirectUri: REDIRECT }) });
    expect(r.status).toBe(413);
  });

  it('the SPA is served at the callback path; /auth/* never falls back to it', async () => {
    const cb = await rec(gw, '/oidc/callback?code=abc&state=xyz');
    expect(cb.status).toBe(200);
    expect(cb.headers.get('content-type')).toContain('text/html');
    const unknown = await rec(gw, '/auth/oidc/nothing-here');
    expect(unknown.status).toBe(404);
    expect(unknown.json.error).toBeTruthy();
  });
});

describe('other issuers', () => {
  it('502 when the issuer is unreachable', async () => {
    const gone = await startOidcIssuer({ clientId: CLIENT_ID });
    const issuerUrl = gone.issuer;
    await gone.close();
    const down = await gatewayFor({ issuer: issuerUrl, clientId: CLIENT_ID, clientSecret: SECRET });
    const c = await rec(down, '/auth/oidc/config');
    expect(c.status).toBe(502);
    expect(c.json.error).toMatchObject({ type: 'upstream_error', code: 'oidc_unavailable' });
    const t = await rec(down, '/auth/oidc/token', { body: { code: 'abc', codeVerifier: randomVerifier(), redirectUri: REDIRECT } });
    expect(t.status).toBe(502);
    expect(t.json.error.code).toBe('oidc_unavailable');
  });

  it('refuses a discovery document whose token endpoint is on another origin (502), never posting the code there', async () => {
    const odd = await issuer();
    odd.discoveryOverrides = { token_endpoint: 'http://127.0.0.2:9/token' };
    const g = await gatewayFor({ issuer: odd.issuer, clientId: CLIENT_ID, clientSecret: SECRET });
    expect((await rec(g, '/auth/oidc/config')).status).toBe(502);
    const { code, verifier } = await authorize(odd);
    const t = await rec(g, '/auth/oidc/token', { body: { code, codeVerifier: verifier, redirectUri: REDIRECT } });
    expect(t.status).toBe(502);
    expect(t.json.error.code).toBe('oidc_discovery_rejected');
    expect(odd.tokenRequests).toHaveLength(0);
  });

  it('uses HTTP Basic client authentication when the issuer does not offer client_secret_post; a wrong secret is a 502 (gateway misconfigured), not the user\'s fault', async () => {
    const basic = await issuer({ authMethods: ['client_secret_basic'], redirectUris: [REDIRECT] });
    const g = await gatewayFor({ issuer: basic.issuer, clientId: CLIENT_ID, clientSecret: SECRET });
    const { code, verifier } = await authorize(basic);
    const t = await rec(g, '/auth/oidc/token', { body: { code, codeVerifier: verifier, redirectUri: REDIRECT } });
    expect(t.status).toBe(200);
    expect(basic.tokenRequests[0]!.authorization).toMatch(/^Basic /);
    expect(basic.tokenRequests[0]!.form.client_secret).toBeUndefined();
    expect((await rec(g, '/api/me', { key: t.json.idToken })).json.user).toBe('tanaka.hanako');

    const wrong = await gatewayFor({ issuer: basic.issuer, clientId: CLIENT_ID, clientSecret: 'not-the-secret-at-all' });
    const w = await authorize(basic);
    const r = await rec(wrong, '/auth/oidc/token', { body: { code: w.code, codeVerifier: w.verifier, redirectUri: REDIRECT } });
    expect(r.status).toBe(502);
    expect(r.json.error.code).toBe('oidc_client_rejected');
  });

  it('API keys keep working next to OIDC', async () => {
    expect((await rec(gw, '/api/me', { key: KEYS.staff })).json.user).toBe('staff1');
  });
});

describe('the client secret', () => {
  it('never appears in any response of this file', () => {
    expect(seen.length).toBeGreaterThan(20);
    for (const r of seen) expect(r).not.toContain(SECRET);
  });
});
