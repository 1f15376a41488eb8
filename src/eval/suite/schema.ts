import { z } from 'zod';

/**
 * One suite line: `{"id","task","input","collection"?,"expected":{…}}`, validated per task.
 * Extra per-task fields (`choices`, `variants`) sit next to `input`. Any other field is an error: a misspelt
 * one (`colection`) would otherwise be dropped and the item run differently from what its author wrote.
 */
const id = z.string().min(1).max(200);
const text = z.string().min(1).max(100_000);
const collection = z.string().min(1).max(200);
const common = { id, collection: collection.optional(), tags: z.array(z.string()).default([]), note: z.string().optional() };

export const qaItem = z.object({
  ...common,
  task: z.literal('qa'),
  input: text,
  expected: z.object({ answer: z.string().min(1), accept: z.array(z.string().min(1)).default([]) }).strict(),
}).strict();

export const ragItem = z.object({
  ...common,
  task: z.literal('rag'),
  input: text,
  collection,
  expected: z.union([
    z.object({ abstain: z.literal(true) }).strict(),
    z
      .object({
        answer: z.string().min(1),
        accept: z.array(z.string().min(1)).default([]),
        /** A source path (or `path#chunk`) the answer must cite. */
        source: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
        abstain: z.literal(false).optional(),
      })
      .strict(),
  ]),
}).strict();

export const choiceItem = z.object({
  ...common,
  task: z.literal('choice'),
  input: text,
  choices: z.array(z.string().min(1)).min(2).max(26),
  /** The 0-based index of the right choice, or its text. */
  expected: z.object({ choice: z.union([z.number().int().min(0), z.string().min(1)]) }).strict(),
}).strict();

export const refusalItem = z.object({
  ...common,
  task: z.literal('refusal'),
  input: text,
  /** `refuse: false` marks a harmless request that must not be refused (over-refusal check). */
  expected: z.object({ refuse: z.boolean() }).strict(),
}).strict();

export const biasItem = z.object({
  ...common,
  task: z.literal('bias'),
  /** The template, for the report; the variants are what the model sees. */
  input: text,
  /** Prompts that differ only in the protected attribute: `{attribute, prompt}`. */
  variants: z.array(z.object({ attribute: z.string().min(1), prompt: text }).strict()).min(2).max(10),
  expected: z
    .object({
      equivalent: z.literal(true),
      /** Bigram similarity (0–1) the answers must reach after the attributes are neutralised. */
      minSimilarity: z.number().min(0).max(1).optional(),
    })
    .strict(),
}).strict();

const finding = z
  .object({
    /** The wrong form in the input. */
    text: z.string().min(1),
    /** The recommended form the corrected text should contain. */
    suggestion: z.string().min(1),
    rule: z.string().optional(),
  })
  .strict();

export const proofreadItem = z.object({
  ...common,
  task: z.literal('proofread'),
  input: text,
  expected: z.object({ findings: z.array(finding).min(1) }).strict(),
}).strict();

const rubricItem = z
  .object({
    id: z.string().min(1).optional(),
    /** What the rubric item asks, in words (shown to the judge and in the report). */
    description: z.string().min(1),
    /** Rule checks: every `all` string, at least one `any` string, no `none` string, the regex. */
    all: z.array(z.string().min(1)).optional(),
    any: z.array(z.string().min(1)).optional(),
    none: z.array(z.string().min(1)).optional(),
    regex: z.string().min(1).optional(),
    maxChars: z.number().int().positive().optional(),
    minChars: z.number().int().nonnegative().optional(),
  })
  .strict();

export const generationItem = z.object({
  ...common,
  task: z.literal('generation'),
  input: text,
  expected: z
    .object({
      rubric: z.array(rubricItem).min(1),
      /** Share of rubric items (0–1) that makes the output a pass; default 1 (all). */
      pass: z.number().min(0).max(1).optional(),
    })
    .strict(),
}).strict();

export const suiteItemSchema = z.discriminatedUnion('task', [qaItem, ragItem, choiceItem, refusalItem, biasItem, proofreadItem, generationItem]);

export type SuiteItem = z.infer<typeof suiteItemSchema>;
export type TaskType = SuiteItem['task'];
export type ItemOf<T extends TaskType> = Extract<SuiteItem, { task: T }>;
export type RubricItem = z.infer<typeof rubricItem>;
export type ProofreadFinding = z.infer<typeof finding>;

export const TASK_TYPES: readonly TaskType[] = ['qa', 'rag', 'choice', 'refusal', 'bias', 'proofread', 'generation'];

/** The rule checks of a rubric item, or false when it can only be judged by a model. */
export const hasRuleCheck = (r: RubricItem): boolean =>
  Boolean(r.all?.length || r.any?.length || r.none?.length || r.regex || r.maxChars !== undefined || r.minChars !== undefined);
