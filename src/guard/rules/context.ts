import type { Finding, FindingType } from '../types.js';
import type { RuleContext } from './types.js';

/** Whether `re` matches in the `window` characters before `start` (not crossing a blank line). */
export function cueBefore(folded: string, start: number, re: RegExp, window = 24): boolean {
  const seg = folded.slice(Math.max(0, start - window), start);
  const para = seg.lastIndexOf('\n\n');
  return re.test(para >= 0 ? seg.slice(para) : seg);
}

/** Whether `re` matches in the `window` characters after `end`. */
export function cueAfter(folded: string, end: number, re: RegExp, window = 12): boolean {
  return re.test(folded.slice(end, end + window));
}

export function makeFinding(ctx: RuleContext, type: FindingType, start: number, end: number, score: number): Finding {
  return { type, start, end, text: ctx.text.slice(start, end), score: Math.round(score * 100) / 100 };
}

/** Run a global regex over the folded text; `group` selects the span (needs the `d` flag for groups > 0). */
export function* matches(folded: string, re: RegExp): Generator<RegExpExecArray> {
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(folded))) {
    if (m[0] === '') re.lastIndex++;
    yield m;
  }
}
