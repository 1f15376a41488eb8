import type { Context } from 'hono';
import type { z } from 'zod';
import { badInput } from '../core/errors.js';
import { formatPath } from '../config/load.js';

/** The JSON body, or 400 saying what is wrong with it. */
export async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (!text.trim()) throw badInput('リクエスト本文が空です。JSONを送ってください / the request body is empty; send a JSON object', { reason: 'invalid_json' });
  try {
    return JSON.parse(text);
  } catch (err) {
    throw badInput(`リクエスト本文が正しいJSONではありません / the request body is not valid JSON: ${(err as Error).message}`, { reason: 'invalid_json' });
  }
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
