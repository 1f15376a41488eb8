import { z } from 'zod';

export const auditSchema = z
  .strictObject({
    /** Sign a checkpoint (Merkle root) after this many events. */
    checkpointEvery: z.number().int().positive().default(1000),
    /**
     * When an append counts as done (SQLite store): 'fsync' — its WAL frames are on disk (survives a
     * power loss; the default); 'os' — written to the operating system (survives a crash of hiraga,
     * not of the machine). PostgreSQL follows the server's synchronous_commit.
     */
    durability: z.enum(['fsync', 'os']).default('fsync'),
    /** Ed25519 private key file (PEM); default: <dataDir>/keys/audit-ed25519.pem, created on first use. */
    keyFile: z.string().optional(),
    /** Retention of content (prompts/answers) per level, in days; 0 = never keep content. */
    retention: z
      .strictObject({
        default: z.record(z.string(), z.number().int().min(0)).default({ '1': 90, '2': 30, '3': 0 }),
        tenants: z.record(z.string(), z.record(z.string(), z.number().int().min(0))).default({}),
      })
      .prefault({}),
  })
  .prefault({});

export const reviewSchema = z
  .strictObject({
    /** Which outputs must wait for a reviewer before release. */
    require: z
      .strictObject({
        copyright: z.boolean().default(true),
        injection: z.boolean().default(true),
        minConfidentiality: z.number().int().min(1).max(4).default(4),
        lowGrounding: z.boolean().default(false),
      })
      .prefault({}),
    /**
     * Whether a reviewer (or admin) may decide an output they asked for themselves. Off by default: a held
     * output is released by a second person (the four-eyes principle), which is why it was held.
     */
    allowSelfReview: z.boolean().default(false),
  })
  .prefault({});
