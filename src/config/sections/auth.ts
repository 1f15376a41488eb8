import { z } from 'zod';

export const roleSchema = z.enum(['staff', 'reviewer', 'admin', 'auditor']);

export const authSchema = z
  .object({
    apiKeys: z
      .array(
        z.object({
          key: z.string().min(8, 'an API key must be at least 8 characters'),
          user: z.string().min(1),
          role: roleSchema.default('staff'),
          tenant: z.string().min(1).default('default'),
        }),
      )
      .default([]),
    oidc: z
      .object({
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
