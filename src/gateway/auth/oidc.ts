import crypto from 'node:crypto';
import type { Actor, Role } from '../../core/types.js';
import { OidcDiscovery, onIssuerOrigin } from './oidc-discovery.js';

/** A way to turn a bearer credential into an actor. API keys are one; OIDC ID tokens another. */
export interface IdentityProvider {
  readonly name: string;
  /** The actor, or null when this provider does not recognise the credential. Throws only on its own faults. */
  authenticate(credential: string): Promise<(Actor & { keyId: string }) | null>;
}

export interface OidcOptions {
  issuer: string;
  clientId: string;
  roleClaim: string;
  tenantClaim: string;
  /** Allowed clock skew in seconds (default 60). */
  skewSeconds?: number;
  fetch?: typeof fetch;
  /** The issuer's discovery document, shared with the web login (one cached copy); by default its own. */
  discovery?: OidcDiscovery;
}

const ROLES: readonly Role[] = ['staff', 'reviewer', 'admin', 'auditor'];
const looksLikeJwt = (s: string) => /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(s);
const b64json = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;

interface Jwk extends crypto.JsonWebKey {
  kid?: string;
}

/**
 * OIDC for the web UI: the browser signs in at the ministry's identity provider and sends the ID
 * token as `Authorization: Bearer <jwt>`. hiraga verifies the signature against the issuer's JWKS
 * (RS256 or ES256), the issuer, the audience (client id) and the expiry; role and tenant come from
 * the configured claims. Only the configured issuer's origin is ever fetched.
 */
export class OidcProvider implements IdentityProvider {
  readonly name = 'oidc';
  private keys: Map<string, crypto.KeyObject> | null = null;
  private fetchedAt = 0;
  private readonly fetchFn: typeof fetch;
  private readonly discovery: OidcDiscovery;

  constructor(private readonly opts: OidcOptions) {
    this.fetchFn = opts.fetch ?? fetch;
    this.discovery = opts.discovery ?? new OidcDiscovery(opts.issuer, { fetch: this.fetchFn });
  }

  async authenticate(credential: string): Promise<(Actor & { keyId: string }) | null> {
    return (await this.verify(credential))?.actor ?? null;
  }

  /**
   * The actor and the token's claims when `credential` is an ID token of this issuer, for this client,
   * signed by one of its keys and not expired; otherwise null. Throws only when the issuer's keys
   * cannot be fetched.
   */
  async verify(credential: string): Promise<{ actor: Actor & { keyId: string }; claims: Record<string, unknown> } | null> {
    if (!looksLikeJwt(credential)) return null;
    const [h, p, s] = credential.split('.') as [string, string, string];
    let header: Record<string, unknown>;
    let claims: Record<string, unknown>;
    try {
      header = b64json(h);
      claims = b64json(p);
    } catch {
      return null;
    }
    if (claims.iss !== this.opts.issuer) return null;
    const key = await this.keyFor(String(header.kid ?? ''));
    if (!key) return null;
    const data = Buffer.from(`${h}.${p}`);
    const sig = Buffer.from(s, 'base64url');
    const ok =
      header.alg === 'RS256'
        ? crypto.verify('sha256', data, key, sig)
        : header.alg === 'ES256'
          ? crypto.verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, sig)
          : false;
    if (!ok) return null;
    const now = Date.now() / 1000;
    const skew = this.opts.skewSeconds ?? 60;
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!aud.includes(this.opts.clientId)) return null;
    if (typeof claims.exp !== 'number' || claims.exp < now - skew) return null;
    if (typeof claims.nbf === 'number' && claims.nbf > now + skew) return null;
    const role = ROLES.includes(claims[this.opts.roleClaim] as Role) ? (claims[this.opts.roleClaim] as Role) : 'staff';
    const tenant = typeof claims[this.opts.tenantClaim] === 'string' ? (claims[this.opts.tenantClaim] as string) : 'default';
    const user = String(claims.preferred_username ?? claims.email ?? claims.sub ?? 'unknown');
    const keyId = `oidc:${crypto.createHash('sha256').update(String(claims.sub ?? user)).digest('hex').slice(0, 12)}`;
    return { actor: { user, role, tenant, keyId, credential: keyId }, claims };
  }

  private async keyFor(kid: string): Promise<crypto.KeyObject | null> {
    if (!this.keys || (!this.keys.has(kid) && Date.now() - this.fetchedAt > 30_000) || Date.now() - this.fetchedAt > 600_000) {
      await this.refresh();
    }
    return this.keys?.get(kid) ?? (this.keys?.size === 1 && !kid ? [...this.keys.values()][0]! : null);
  }

  private async refresh(): Promise<void> {
    this.fetchedAt = Date.now();
    const disco = await this.discovery.get();
    if (!onIssuerOrigin(disco.jwks_uri, this.opts.issuer)) {
      throw new Error(`OIDC discovery at ${this.opts.issuer} gave no jwks_uri on the issuer's own origin`);
    }
    const jwks = (await (await this.fetchFn(disco.jwks_uri, { signal: AbortSignal.timeout(10_000) })).json()) as { keys?: Jwk[] };
    const keys = new Map<string, crypto.KeyObject>();
    for (const jwk of jwks.keys ?? []) {
      try {
        keys.set(jwk.kid ?? '', crypto.createPublicKey({ key: jwk, format: 'jwk' }));
      } catch {
        /* skip keys this runtime cannot use */
      }
    }
    this.keys = keys;
  }
}

/** API keys as an identity provider. */
export function apiKeyProvider(ring: { verify(k: string): (Actor & { keyId: string }) | null }): IdentityProvider {
  return { name: 'api-key', authenticate: async (credential) => ring.verify(credential) };
}
