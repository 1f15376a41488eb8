import { z } from 'zod';
import { modelSchema } from './sections/models.js';
import { retrievalSchema } from './sections/retrieval.js';
import { authSchema } from './sections/auth.js';
import { guardSchema } from './sections/guard.js';
import { auditSchema, reviewSchema } from './sections/audit.js';
import { serverSchema } from './sections/server.js';
import { evalSchema } from './sections/eval.js';
import { budgetsSchema } from './sections/budgets.js';

/** The one schema for hiraga.config.json / .yaml. Every field has a default. */
export const configSchema = z
  .object({
    /** `postgres://…` for PostgreSQL; omitted = SQLite file in the data directory. */
    database: z.string().optional(),
    /** Redis URL for shared rate limits and queues across nodes. */
    redis: z.string().optional(),
    models: z.array(modelSchema).default([]),
    defaultModel: z.string().default('extractive'),
    /** Locale for CLI messages. */
    locale: z.enum(['ja', 'en']).default('ja'),
    /** Date style in generated documents. */
    dateStyle: z.enum(['wareki', 'seireki']).default('wareki'),
    retrieval: retrievalSchema,
    auth: authSchema,
    guard: guardSchema,
    audit: auditSchema,
    review: reviewSchema,
    server: serverSchema,
    budgets: budgetsSchema,
    eval: evalSchema,
  })
  .strict();

export type ConfigInput = z.input<typeof configSchema>;
export type ParsedConfig = z.infer<typeof configSchema>;
