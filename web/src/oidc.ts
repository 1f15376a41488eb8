/**
 * Sign-in with the organisation's identity provider: OIDC authorization code with PKCE (S256).
 *
 * 1. `GET /auth/oidc/config` says where the identity provider is (404: not configured).
 * 2. `startOidcLogin` makes state, code_verifier and nonce, keeps them in sessionStorage (this tab)
 *    and sends the browser to the authorization endpoint.
 * 3. The identity provider sends the browser back to the redirect URI (`/oidc/callback`, served with
 *    index.html); `completeOidcLogin` checks the state and hands code + verifier + nonce to
 *    `POST /auth/oidc/token`, where the gateway exchanges them (with the client secret, which never
 *    reaches the browser) and verifies the ID token. That ID token then is the Bearer credential.
 */
import { ApiError, clearApiKey, toError } from './api/client';
import type { OidcConfig, OidcSession } from './api/types';

const PENDING = 'hiraga.oidc.pending';
/** Where the UI asks to be sent back when auth.oidc.redirectUri is not configured. */
export const CALLBACK_PATH = '/oidc/callback';
/** A sign-in started longer ago than this is not finished. */
const MAX_AGE_MS = 15 * 60_000;

interface Pending {
  state: string;
  codeVerifier: string;
  nonce: string;
  redirectUri: string;
  /** The hash route the user was on, to return to after signing in. */
  returnTo: string;
  createdAt: number;
}

/** Why a sign-in did not finish; the login screen turns `kind` into a sentence. */
export class OidcLoginError extends Error {
  constructor(
    readonly kind: 'insecure' | 'state' | 'denied' | 'exchange',
    readonly detail = '',
  ) {
    super(`OIDC sign-in failed: ${kind}${detail ? ` (${detail})` : ''}`);
    this.name = 'OidcLoginError';
  }
}

/** The configuration, null when the gateway has no OIDC configured, 'unavailable' when it cannot say. */
export async function fetchOidcConfig(signal?: AbortSignal): Promise<OidcConfig | null | 'unavailable'> {
  try {
    const res = await fetch('/auth/oidc/config', { headers: { accept: 'application/json' }, signal });
    if (res.status === 404) return null;
    if (!res.ok) return 'unavailable';
    return (await res.json()) as OidcConfig;
  } catch (err) {
    if (signal?.aborted) throw err;
    return 'unavailable';
  }
}

const base64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const random = (n = 32) => base64url(crypto.getRandomValues(new Uint8Array(n)));

/** Leave for the identity provider. Never returns normally (the page navigates away). */
export async function startOidcLogin(config: OidcConfig): Promise<void> {
  // crypto.subtle exists only in secure contexts (https, or http on localhost / 127.0.0.1).
  if (!globalThis.crypto?.subtle) throw new OidcLoginError('insecure');
  const codeVerifier = random(32); // 43 characters, RFC 7636
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(codeVerifier))));
  const pending: Pending = {
    state: random(16),
    codeVerifier,
    nonce: random(16),
    redirectUri: config.redirectUri ?? `${location.origin}${CALLBACK_PATH}`,
    returnTo: location.hash,
    createdAt: Date.now(),
  };
  sessionStorage.setItem(PENDING, JSON.stringify(pending));
  const url = new URL(config.authorizationEndpoint);
  const params: Record<string, string> = {
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: pending.redirectUri,
    scope: config.scope,
    state: pending.state,
    nonce: pending.nonce,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  };
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  location.assign(url.toString());
}

/** True when this page load is the identity provider sending the browser back. */
export function isOidcCallback(): boolean {
  const q = new URLSearchParams(location.search);
  if (!q.has('code') && !q.has('error')) return false;
  return sessionStorage.getItem(PENDING) !== null || location.pathname === CALLBACK_PATH;
}

let inflight: Promise<OidcSession> | null = null;

/** Finish the sign-in on the callback page (once per page load, however often it is called). */
export function completeOidcLogin(): Promise<OidcSession> {
  return (inflight ??= complete());
}

async function complete(): Promise<OidcSession> {
  const q = new URLSearchParams(location.search);
  const raw = sessionStorage.getItem(PENDING);
  sessionStorage.removeItem(PENDING); // one use only
  let pending: Pending | null = null;
  try {
    pending = raw ? (JSON.parse(raw) as Pending) : null;
  } catch {
    pending = null;
  }
  // The code is single-use, but it has no business in the address bar or the history.
  history.replaceState(null, '', `/${pending?.returnTo ?? ''}`);

  const error = q.get('error');
  if (error) throw new OidcLoginError('denied', (q.get('error_description') ?? error).slice(0, 200));
  const code = q.get('code');
  if (!pending || !code || q.get('state') !== pending.state || Date.now() - pending.createdAt > MAX_AGE_MS) throw new OidcLoginError('state');

  clearApiKey(); // a new sign-in replaces whatever this tab held
  let res: Response;
  try {
    res = await fetch('/auth/oidc/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ code, codeVerifier: pending.codeVerifier, redirectUri: pending.redirectUri, nonce: pending.nonce }),
    });
  } catch (err) {
    throw new OidcLoginError('exchange', (err as Error).message);
  }
  if (!res.ok) {
    const e: ApiError = await toError(res);
    throw new OidcLoginError('exchange', e.message);
  }
  return (await res.json()) as OidcSession;
}
