import type { Context } from 'hono';
import type { z } from 'zod';
import { badInput } from '../core/errors.js';
import { formatPath } from '../config/load.js';

/** The JSON body, or 400 saying what is wrong with it. */
export async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (!text.trim()) throw badInput('リクエスト本文が空です。JSONを送ってください / the request body is empty; send a JSON object', { reason: 'invalid_json' });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw badInput(`リクエスト本文が正しいJSONではありません / the request body is not valid JSON: ${(err as Error).message}`, { reason: 'invalid_json' });
  }
  // JSON writes the NUL character only as \u0000: look for where it is only when that text is there at all.
  if (text.includes('\\u0000')) {
    const at = nulPath(value, []);
    if (at) {
      const param = formatPath(at) || '(body)';
      throw badInput(`リクエストに NUL 文字 (U+0000) が含まれています。取り除いてください / ${param} contains the NUL character (U+0000), which hiraga does not store or send on: remove it`, {
        reason: 'invalid_character',
        details: { param },
      });
    }
  }
  return value;
}

/** The path of the first string (or key) holding U+0000, or null: no text can store it in PostgreSQL. */
function nulPath(value: unknown, at: PropertyKey[]): PropertyKey[] | null {
  if (typeof value === 'string') return value.includes('\0') ? at : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulPath(value[i], [...at, i]);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k.includes('\0')) return [...at, k];
      const found = nulPath(v, [...at, k]);
      if (found) return found;
    }
  }
  return null;
}

/** Parse with a zod schema (a part of the body found at `at`); 400 naming the first few bad fields and what they should be. */
export function parseBody<S extends z.ZodType>(schema: S, value: unknown, at: ReadonlyArray<PropertyKey> = []): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issues = r.error.issues.slice(0, 3).map((i) => {
    const last = i.path[i.path.length - 1];
    // A message written with its field's name first ("n: hiraga returns one choice") is not named twice.
    const message = typeof last === 'string' && i.message.startsWith(`${last}: `) ? i.message.slice(last.length + 2) : i.message;
    return `${formatPath([...at, ...i.path]) || '(body)'}: ${message}`;
  });
  const first = r.error.issues[0];
  throw badInput(`入力が正しくありません / invalid request: ${issues.join('; ')}`, {
    reason: 'invalid_request',
    details: first ? { param: formatPath([...at, ...first.path]) } : {},
  });
}

export async function readBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  return parseBody(schema, await readJson(c));
}
