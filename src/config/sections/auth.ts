import crypto from 'node:crypto';
import { z } from 'zod';

export const roleSchema = z.enum(['staff', 'reviewer', 'admin', 'auditor']);

/**
 * When a key's `expiresAt` ends: a date alone (2027-03-31) means the end of that day in Japan time; a date
 * and time means that moment. NaN when it is not a date.
 */
export function expiryMs(expiresAt: string): number {
  return /^\d{4}-\d{2}-\d{2}$/.test(expiresAt) ? Date.parse(`${expiresAt}T23:59:59.999+09:00`) : Date.parse(expiresAt);
}

const apiKey = z
  .strictObject({
    /** The key itself (or `env:NAME`: read from that environment variable), or instead… */
    key: z.string().min(8, 'an API key must be at least 8 characters').optional(),
    /** …its SHA-256 in hex (`hiraga keys new` / `hiraga keys hash`), so the config file holds no usable key. */
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/, "sha256 must be the key's SHA-256 as 64 lower-case hex digits (hiraga keys hash)")
      .optional(),
    user: z.string().min(1),
    role: roleSchema.default('staff'),
    tenant: z.string().min(1).default('default'),
    /** The only models this key may use (an integration that should only embed, say); absent: every model open to its tenant. */
    models: z.array(z.string().min(1)).min(1, 'models: name at least one model, or leave models out').optional(),
    /** From then on the key is refused (401 api_key_expired). A date alone is the end of that day, Japan time. */
    expiresAt: z
      .string()
      .refine((v) => !Number.isNaN(expiryMs(v)), 'expiresAt must be a date (2027-03-31, the end of that day in Japan time) or a date and time (2027-03-31T17:00:00+09:00)')
      .optional(),
  })
  .superRefine((k, ctx) => {
    if ((k.key === undefined) === (k.sha256 === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['key'], message: 'give the key or its sha256 (hiraga keys hash), not both and not neither' });
    }
  });

/** The SHA-256 a key entry is known by. */
export const keyDigest = (k: { key?: string | undefined; sha256?: string | undefined }) => k.sha256 ?? crypto.hash('sha256', k.key ?? '', 'hex');

export const authSchema = z
  .strictObject({
    apiKeys: z
      .array(apiKey)
      .default([])
      .superRefine((keys, ctx) => {
        const seen = new Map<string, number>();
        keys.forEach((k, i) => {
          if (k.key === undefined && k.sha256 === undefined) return;
          const d = keyDigest(k);
          const first = seen.get(d);
          if (first !== undefined) ctx.addIssue({ code: 'custom', path: [i], message: `the same key as apiKeys[${first}]: each key must be different` });
          else seen.set(d, i);
        });
      }),
    oidc: z
      .strictObject({
        issuer: z.string().url(),
        clientId: z.string(),
        /** Only for a confidential client; used by the gateway's code exchange, never sent to the browser. */
        clientSecret: z.string().optional(),
        /** The web UI's callback registered at the identity provider, e.g. https://hiraga.example.go.jp/oidc/callback. Default: <the UI's origin>/oidc/callback. */
        redirectUri: z.string().url().optional(),
        /** Scopes the web UI asks for; must include openid. */
        scope: z
          .string()
          .default('openid profile email')
          .refine((s) => s.split(/\s+/).includes('openid'), 'the scope must include "openid"'),
        roleClaim: z.string().default('hiraga_role'),
        tenantClaim: z.string().default('hiraga_tenant'),
      })
      .optional(),
  })
  .prefault({});
