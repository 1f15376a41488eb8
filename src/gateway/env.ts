import type { Actor } from '../core/types.js';

/** What middleware puts on the Hono context for later handlers. */
export interface GatewayVariables {
  /** Who is calling (set by the auth middleware). */
  actor: Actor;
  /** A short, non-secret id of the credential (first 12 hex digits of its SHA-256), for rate limits and logs. */
  keyId: string;
  /** Cancelled when the client goes away or the request deadline passes. */
  signal: AbortSignal;
  requestId: string;
  /** The policy outcome of a governed call, for metrics (allow|mask|block|review). */
  policyOutcome?: string;
  /** Model id of a governed call, for metrics. */
  modelId?: string;
  /** Set by the rate limit on routes that go on while a remote limiter decides: await before any side effect (middleware/rate-limit.ts). */
  admission?: Promise<void>;
}

export interface GatewayEnv {
  Variables: GatewayVariables;
}
