/**
 * Sign-in with the organisation account (OIDC authorization code + PKCE) end to end: real Chromium,
 * a real `hiraga serve` with auth.oidc pointing at the stand-in issuer (test/helpers/oidc-issuer.ts),
 * which signs the user in at once and redirects back to /oidc/callback.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startOidcIssuer, type OidcIssuer } from '../helpers/oidc-issuer.js';
import { chromiumExists, ensureWebBuilt, launchChromium, newPage, screenshot, startHiraga, TENANT, type Hiraga } from './harness.js';

const CLIENT_ID = 'hiraga-web';
const SECRET = 'web-oidc-client-secret-9c1e';

describe.skipIf(!chromiumExists)('OIDC sign-in in Chromium (skipped when /usr/bin/chromium is missing)', () => {
  let idp: OidcIssuer;
  let hiraga: Hiraga;
  let chrome: Awaited<ReturnType<typeof launchChromium>>;
  let browser: Browser;

  beforeAll(async () => {
    ensureWebBuilt();
    idp = await startOidcIssuer({ clientId: CLIENT_ID, clientSecret: SECRET, claims: { sub: 'u-0815', preferred_username: 'suzuki.ichiro', hiraga_role: 'staff', hiraga_tenant: TENANT } });
    hiraga = await startHiraga({
      ingest: false,
      config: (config, url) => {
        // Registered at the issuer exactly; hiraga's config leaves redirectUri out, so the UI uses <its origin>/oidc/callback.
        idp.redirectUris = [`${url}/oidc/callback`];
        return { ...config, auth: { ...config.auth, oidc: { issuer: idp.issuer, clientId: CLIENT_ID, clientSecret: SECRET } } };
      },
    });
    chrome = await launchChromium();
    browser = chrome.browser;
  }, 240_000);

  afterAll(async () => {
    await chrome?.close();
    await hiraga?.stop();
    await idp?.close();
  });

  it('signs in with the organisation account: button → identity provider → /oidc/callback → logged in, the ID token works as the Bearer credential', async () => {
    const page = await newPage(browser);
    await page.goto(hiraga.url + '/');
    const button = page.getByTestId('login-oidc');
    await button.waitFor();
    expect(await button.textContent()).toBe('組織のアカウントでログイン');
    await page.getByTestId('login-key').waitFor(); // the API key stays available
    await screenshot(page, '12-login-oidc');
    await button.click();

    await page.locator('nav.site-nav').waitFor();
    // The header shows the user from the ID token, with role and tenant from its claims.
    const who = page.locator('.whoami');
    expect(await who.textContent()).toContain('suzuki.ichiro');
    expect(await who.textContent()).toContain('職員');
    expect(await who.textContent()).toContain(TENANT);
    // The code and state are gone from the address bar; the pending sign-in is used up.
    expect(new URL(page.url()).pathname).toBe('/');
    expect(new URL(page.url()).search).toBe('');
    expect(await page.evaluate(() => sessionStorage.getItem('hiraga.oidc.pending'))).toBeNull();

    // The authorization request was PKCE S256 with a nonce; the gateway, not the browser, sent the secret.
    const auth = idp.authorizations.at(-1)!;
    expect(auth.codeChallengeMethod).toBe('S256');
    expect(auth.nonce).toBeTruthy();
    expect(auth.redirectUri).toBe(`${hiraga.url}/oidc/callback`);
    expect(idp.tokenRequests.at(-1)).toMatchObject({ status: 200, form: { client_secret: SECRET } });

    // The ID token is kept like an API key (sessionStorage, this tab) and every API call sends it.
    const token = await page.evaluate(() => sessionStorage.getItem('hiraga.apiKey'));
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    await page.locator('.cards .card').first().waitFor(); // GET /api/apps from the home screen
    const me = await page.evaluate(async () => {
      const r = await fetch('/api/me', { headers: { authorization: `Bearer ${sessionStorage.getItem('hiraga.apiKey')}` } });
      return { status: r.status, body: await r.json() };
    });
    expect(me).toEqual({ status: 200, body: { user: 'suzuki.ichiro', role: 'staff', tenant: TENANT } });
    expect(await page.content()).not.toContain(SECRET);
    await page.context().close();
  });

  it('a callback that this tab did not start (unknown state) signs nobody in and says why', async () => {
    const page = await newPage(browser);
    await page.goto(`${hiraga.url}/oidc/callback?code=forged-code&state=not-ours`);
    await expect.poll(() => page.getByTestId('login-oidc-error').textContent()).toContain('ログインの要求を確認できませんでした');
    expect(new URL(page.url()).search).toBe('');
    expect(await page.evaluate(() => sessionStorage.getItem('hiraga.apiKey'))).toBeNull();
    expect(idp.tokenRequests.every((r) => r.form.code !== 'forged-code')).toBe(true);
    await page.context().close();
  });

  it('returns to the login screen with the "expired" notice when the ID token expires', async () => {
    idp.ttlSeconds = 5;
    try {
      const page = await newPage(browser);
      await page.goto(hiraga.url + '/');
      await page.getByTestId('login-oidc').click();
      await page.locator('nav.site-nav').waitFor();
      await page.getByRole('status').filter({ hasText: 'ログインの有効期限が切れました' }).waitFor({ timeout: 30_000 });
      await page.getByTestId('login-key').waitFor();
      expect(await page.evaluate(() => sessionStorage.getItem('hiraga.apiKey'))).toBeNull();
      await page.context().close();
    } finally {
      idp.ttlSeconds = 3600;
    }
  });
});
