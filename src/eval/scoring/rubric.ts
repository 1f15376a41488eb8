import { normalizeAnswer } from '../text/normalize.js';
import type { RubricItem } from '../suite/schema.js';

const has = (text: string, needle: string) => text.normalize('NFKC').includes(needle.normalize('NFKC')) || normalizeAnswer(text).includes(normalizeAnswer(needle));

/** Check one rubric item's rules against an output; null when the item has no rule (judge only). */
export function checkRubricRules(output: string, r: RubricItem): { ok: boolean; why: string } | null {
  const fails: string[] = [];
  let any = false;
  if (r.all?.length) {
    any = true;
    const missing = r.all.filter((s) => !has(output, s));
    if (missing.length) fails.push(`missing ${missing.map((s) => `「${s}」`).join('')}`);
  }
  if (r.any?.length) {
    any = true;
    if (!r.any.some((s) => has(output, s))) fails.push(`none of ${r.any.map((s) => `「${s}」`).join('')}`);
  }
  if (r.none?.length) {
    any = true;
    const found = r.none.filter((s) => has(output, s));
    if (found.length) fails.push(`contains ${found.map((s) => `「${s}」`).join('')}`);
  }
  if (r.regex) {
    any = true;
    if (!new RegExp(r.regex, 'u').test(output)) fails.push(`does not match /${r.regex}/`);
  }
  const len = Array.from(output.trim()).length;
  if (r.maxChars !== undefined) {
    any = true;
    if (len > r.maxChars) fails.push(`${len} characters > ${r.maxChars}`);
  }
  if (r.minChars !== undefined) {
    any = true;
    if (len < r.minChars) fails.push(`${len} characters < ${r.minChars}`);
  }
  if (!any) return null;
  return { ok: fails.length === 0, why: fails.join('; ') };
}
