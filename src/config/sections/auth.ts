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
        clientSecret: z.string().optional(),
        redirectUri: z.string().url().optional(),
        roleClaim: z.string().default('hiraga_role'),
        tenantClaim: z.string().default('hiraga_tenant'),
      })
      .optional(),
  })
  .prefault({});
