import YAML from 'yaml';
import { z } from 'zod';
import { formatPath } from '../config/load.js';
import { badInput } from '../core/errors.js';

const NAME = /^[a-z][a-z0-9_-]{0,63}$/;

export const appInputSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'use letters, digits and _ (starting with a letter)'),
    label: z.string().min(1).max(200),
    type: z.enum(['text', 'textarea', 'select', 'number', 'file']).default('text'),
    required: z.boolean().default(false),
    /** Choices of a `select` input. */
    options: z.array(z.string().min(1)).min(1).optional(),
    default: z.union([z.string(), z.number()]).optional(),
    /** Help text shown under the field. */
    help: z.string().max(500).optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.type === 'select' && !v.options) ctx.addIssue({ code: 'custom', path: ['options'], message: 'a select input needs options: ["…", "…"]' });
    if (v.type !== 'select' && v.options) ctx.addIssue({ code: 'custom', path: ['options'], message: `options are only for select inputs (type is ${v.type})` });
    // A default every run would refuse ("not one of", "must be a number") is an error of the definition, not of each run.
    if (v.default !== undefined && v.type === 'select' && v.options && !v.options.includes(String(v.default))) {
      ctx.addIssue({ code: 'custom', path: ['default'], message: `the default must be one of the options: ${v.options.join(', ')}` });
    }
    if (v.default !== undefined && v.type === 'number' && !Number.isFinite(Number(String(v.default).trim().normalize('NFKC')))) {
      ctx.addIssue({ code: 'custom', path: ['default'], message: 'the default of a number input must be a number' });
    }
  });

/** A declarative app (JSON or YAML). Built-in apps use the same shape. */
export const appDefinitionSchema = z
  .object({
    id: z.string().regex(NAME, 'use lower-case letters, digits, - and _ (starting with a letter, at most 64)'),
    title: z.string().min(1).max(100),
    description: z.string().max(2000).default(''),
    inputs: z.array(appInputSchema).max(30).default([]),
    /** Prompt template; {{name}} is replaced with the input of that name. */
    prompt: z.string().min(1).max(20_000).optional(),
    /** A system message for the model. */
    system: z.string().max(20_000).optional(),
    /** The model to use, or the models a user may choose from (the first is the default). */
    model: z.string().min(1).optional(),
    models: z.array(z.string().min(1)).min(1).optional(),
    /** Retrieve passages from this collection (資料QA-style apps): the question is the rendered prompt. */
    collection: z.string().min(1).optional(),
    /** Passages to retrieve when `collection` is set. */
    k: z.number().int().min(1).max(20).default(5),
    /** Highest confidentiality level (1–3) the app accepts; inputs above it are refused. */
    confidentiality: z.union([z.literal(1), z.literal(2), z.literal(3)]).default(3),
    /** Outputs wait for a reviewer before the requester sees them. */
    review: z.boolean().default(false),
    tenant: z.string().min(1).optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    const names = new Set<string>();
    v.inputs.forEach((inp, i) => {
      if (names.has(inp.name)) ctx.addIssue({ code: 'custom', path: ['inputs', i, 'name'], message: `input "${inp.name}" is defined twice` });
      names.add(inp.name);
    });
    if (v.model && v.models) ctx.addIssue({ code: 'custom', path: ['models'], message: 'give either model or models, not both' });
    for (const m of (v.prompt ?? '').matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)) {
      if (!names.has(m[1]!)) ctx.addIssue({ code: 'custom', path: ['prompt'], message: `{{${m[1]}}} names no input; inputs: ${[...names].join(', ') || '(none)'}` });
    }
  });

export type AppDefinitionInput = z.input<typeof appDefinitionSchema>;
export type AppDefinition = z.infer<typeof appDefinitionSchema>;
export type AppInput = z.infer<typeof appInputSchema>;

/** Validate a definition object; errors name the field, the bad value and what is allowed. */
export function validateDefinition(value: unknown, source = 'app definition'): AppDefinition {
  const parsed = appDefinitionSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  // An unknown field (promt:, inputs[0].lable:) is reported at its own path, not as the whole object it sits in.
  const issues: { path: PropertyKey[]; message: string }[] = parsed.error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((k) => ({ path: [...issue.path, k], message: `unknown field; ${knownFields(issue.path)}` }))
      : [{ path: issue.path, message: issue.message }],
  );
  const lines = issues.slice(0, 5).map((issue) => {
    const p = formatPath(issue.path);
    let v: unknown = value;
    for (const k of issue.path) v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
    return `${p || '(top level)'} = ${v === undefined ? '(missing)' : JSON.stringify(v)}: ${issue.message}`;
  });
  const more = issues.length > 5 ? ` (+${issues.length - 5} more)` : '';
  const first = issues[0];
  throw badInput(`${source} is invalid: ${lines.join('; ')}${more}`, { reason: 'invalid_app_definition', ...(first ? { details: { param: formatPath(first.path) } } : {}) });
}

/** The fields allowed where an unknown one was found: top level, or in an input. */
function knownFields(path: ReadonlyArray<PropertyKey>): string {
  const shape = path.length ? appInputSchema.shape : appDefinitionSchema.shape;
  return `fields: ${Object.keys(shape).join(', ')}`;
}

/** Parse JSON or YAML text (by file name, else by content) and validate it. */
export function parseDefinition(text: string, fileName = 'app definition'): AppDefinition {
  let value: unknown;
  const yaml = /\.ya?ml$/i.test(fileName) || (!/\.json$/i.test(fileName) && !text.trimStart().startsWith('{'));
  try {
    value = yaml ? YAML.parse(text) : JSON.parse(text);
  } catch (err) {
    throw badInput(`${fileName} is not valid ${yaml ? 'YAML' : 'JSON'}: ${(err as Error).message}`, { reason: 'invalid_app_definition' });
  }
  return validateDefinition(value, fileName);
}
