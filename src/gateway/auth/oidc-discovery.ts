/** The fields of an OpenID Provider's discovery document hiraga reads. */
export interface DiscoveryDocument {
  issuer?: string;
  authorization_endpoint?: string;
  token_endpoint?: string;
  jwks_uri?: string;
  token_endpoint_auth_methods_supported?: string[];
  [field: string]: unknown;
}

export interface DiscoveryOptions {
  fetch?: typeof fetch;
  /** How long a fetched document is reused (default 10 minutes). A failed fetch is never cached. */
  ttlMs?: number;
  /** Per request (default 10 s). */
  timeoutMs?: number;
}

/** The issuer without a trailing slash, as discovery and the origin checks use it. */
export const issuerBase = (issuer: string) => issuer.replace(/\/$/, '');

/** True when `url` is an absolute URL on the issuer's own origin (scheme, host and port). */
export function onIssuerOrigin(url: unknown, issuer: string): url is string {
  if (typeof url !== 'string') return false;
  try {
    return new URL(url).origin === new URL(issuer).origin;
  } catch {
    return false;
  }
}

/**
 * `<issuer>/.well-known/openid-configuration`, fetched on first use and cached. Concurrent callers
 * share one fetch. Only the configured issuer is ever asked; what the document points to is checked
 * by whoever uses that field (jwks_uri, authorization_endpoint, token_endpoint must stay on the
 * issuer's origin). Throws a plain Error when the issuer is unreachable or answers nonsense.
 */
export class OidcDiscovery {
  private doc: DiscoveryDocument | null = null;
  private fetchedAt = 0;
  private pending: Promise<DiscoveryDocument> | null = null;
  private readonly fetchFn: typeof fetch;

  constructor(
    readonly issuer: string,
    private readonly opts: DiscoveryOptions = {},
  ) {
    this.fetchFn = opts.fetch ?? fetch;
  }

  get url(): string {
    return `${issuerBase(this.issuer)}/.well-known/openid-configuration`;
  }

  async get({ fresh = false }: { fresh?: boolean } = {}): Promise<DiscoveryDocument> {
    if (!fresh && this.doc && Date.now() - this.fetchedAt < (this.opts.ttlMs ?? 600_000)) return this.doc;
    this.pending ??= this.load().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  private async load(): Promise<DiscoveryDocument> {
    let res: Response;
    try {
      res = await this.fetchFn(this.url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000) });
    } catch (err) {
      throw new Error(`OIDC discovery at ${this.url} failed: ${(err as Error).message}`, { cause: err });
    }
    if (!res.ok) throw new Error(`OIDC discovery at ${this.url} answered HTTP ${res.status}`);
    let doc: unknown;
    try {
      doc = await res.json();
    } catch (err) {
      throw new Error(`OIDC discovery at ${this.url} did not answer JSON`, { cause: err });
    }
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new Error(`OIDC discovery at ${this.url} did not answer a JSON object`);
    this.doc = doc as DiscoveryDocument;
    this.fetchedAt = Date.now();
    return this.doc;
  }
}
