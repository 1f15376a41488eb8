import type { Finding } from '../types.js';
import { cueAfter, cueBefore, makeFinding } from './context.js';
import type { PiiRule } from './types.js';

const N = '(?:\\d{1,2}|[〇一二三四五六七八九十]{1,3})';
const ERA = '(?:明治|大正|昭和|平成|令和)';
/** 1985年4月1日, 昭和60年4月1日, 平成元年, S60.4.1, 1985/4/1, 1985-04-01. */
export const DATE_RE = new RegExp(
  [
    `(?:西暦 ?)?(?:\\d{4}|[〇一二三四五六七八九]{4}) ?年 ?${N} ?月 ?${N} ?日`,
    `${ERA} ?(?:${N}|元) ?年 ?${N} ?月 ?${N} ?日`,
    `(?<![A-Za-z])[MTSHR] ?\\d{1,2}[./]\\d{1,2}[./]\\d{1,2}(?![\\d])`,
    `(?<![\\d/.-])\\d{4}[/.-]\\d{1,2}[/.-]\\d{1,2}(?![\\d])`,
  ].join('|'),
  'g',
);
const BEFORE = /生年月日|誕生日|生まれ|出生|birth|DOB|Born/i;
/**
 * Pre-filter, a necessary condition of BEFORE or AFTER: a BEFORE cue anywhere, or an AFTER cue right
 * after what a date ends with (日 or a digit). Without it no date can qualify, so DATE_RE is not run.
 */
const ANY_CUE = new RegExp(`${BEFORE.source}|[日0-9][ )）]*(?:生|誕生|出生)`, 'i');
const AFTER = /^[ )）]*(生まれ|生|誕生|出生)/;

export const birthDateRule: PiiRule = {
  type: 'birth_date',
  label: '生年月日',
  detect(ctx) {
    const out: Finding[] = [];
    const f = ctx.folded;
    if (!ANY_CUE.test(f)) return out;
    // No date contains a line break, so a scan started at a line start finds exactly the global scan's
    // dates of that line. Scan only lines that can hold a cue: a BEFORE cue in the line or in the 10
    // characters before it, or 生 (every AFTER cue contains it, and an AFTER cue never leaves the line).
    for (let ls = 0; ls < f.length; ) {
      let le = f.indexOf('\n', ls);
      if (le < 0) le = f.length;
      if (f.slice(ls, le).includes('生') || BEFORE.test(f.slice(Math.max(0, ls - 10), le))) {
        DATE_RE.lastIndex = ls;
        let m: RegExpExecArray | null;
        while ((m = DATE_RE.exec(f)) && m.index < le) {
          const start = m.index;
          const end = start + m[0].length;
          // A date is personal data when it is stated as someone's birth date, not a deadline or meeting.
          const before = cueBefore(f, start, BEFORE, 10);
          const after = cueAfter(f, end, AFTER, 6);
          if (!before && !after) continue;
          out.push(makeFinding(ctx, 'birth_date', start, end, 0.95));
        }
      }
      ls = le + 1;
    }
    return out;
  },
};
