import { z } from 'zod';

export const policyAction = z.enum(['allow', 'mask', 'block']);

/**
 * Policy per confidentiality level: what to do when a text of that level goes to a model whose
 * clearance is below it. Text at or below a model's clearance is always allowed.
 */
export const guardSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** Action when the text's level exceeds the model's clearance, per level. */
    policy: z
      .object({
        '2': policyAction.default('mask'),
        '3': policyAction.default('block'),
      })
      .prefault({}),
    /** Extra names and works to treat as protected creators/works (copyright flag). */
    protectedNames: z.array(z.string()).default([]),
    /** Folder or files of protected works for verbatim-overlap checks on outputs. */
    protectedCorpus: z.array(z.string()).default([]),
    /** Restore masked placeholders in answers for the requesting user. */
    restoreMasked: z.boolean().default(true),
  })
  .prefault({});
