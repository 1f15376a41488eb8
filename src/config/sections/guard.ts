import { z } from 'zod';

export const policyAction = z.enum(['allow', 'mask', 'block']);

const findingType = z.enum([
  'my_number', 'corporate_number', 'phone', 'email', 'postal_code', 'address',
  'person_name', 'birth_date', 'credit_card', 'bank_account', 'passport_number', 'ip_address',
]);

/**
 * Policy per confidentiality level: what to do when a text of that level goes to a model whose
 * clearance is below it. Text at or below a model's clearance is always allowed.
 */
export const guardSchema = z
  .strictObject({
    /** Action when the text's level exceeds the model's clearance, per level. */
    policy: z
      .strictObject({
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
    /** Override the confidentiality level a personal-data type implies (e.g. {"person_name": 1}). */
    typeLevels: z.partialRecord(findingType, z.union([z.literal(1), z.literal(2), z.literal(3)])).default({}),
    /** Minimum verbatim run (characters, whitespace and punctuation ignored) that counts as copying. */
    overlapMinChars: z.number().int().min(12).default(40),
    /** Extra surnames for the person-name detector (local names the built-in list lacks). */
    extraSurnames: z.array(z.string()).default([]),
  })
  .prefault({});
