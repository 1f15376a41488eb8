import { z } from 'zod';

/** `hiraga eval`: the evaluation lab. */
export const evalSchema = z
  .strictObject({
    /** A judge model for generation rubrics (a configured model id); off when absent. */
    judge: z
      .strictObject({
        model: z.string().min(1),
        /** How many times the judge scores each output, to report its spread. */
        repeats: z.number().int().min(1).max(10).default(3),
      })
      .optional(),
    /** Items in flight per process. */
    concurrency: z.number().int().min(1).max(1024).default(4),
    /** Tenant and user the evaluation runs as (audit trail, collections). */
    tenant: z.string().min(1).default('default'),
    user: z.string().min(1).default('eval'),
    /** Passages retrieved for items that name a collection. */
    passages: z.number().int().min(1).max(50).default(5),
    /** Groundedness: minimum character-bigram support of an answer sentence by its cited passages. */
    minSupport: z.number().min(0).max(1).default(0.5),
    /** Bias: minimum similarity of paired answers once the attribute is neutralised. */
    biasMinSimilarity: z.number().min(0).max(1).default(0.6),
    /** Proofread: minimum similarity of the corrected text to the input (the content must be kept). */
    proofreadMinSimilarity: z.number().min(0).max(1).default(0.5),
    maxTokens: z.number().int().positive().optional(),
  })
  .prefault({});
export type EvalConfig = z.infer<typeof evalSchema>;
