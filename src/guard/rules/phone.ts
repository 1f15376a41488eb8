import type { Finding } from '../types.js';
import { digitsOnly } from '../checks/check-digits.js';
import { featuresOf } from '../text/features.js';
import { cueBefore, makeFinding, matches } from './context.js';
import type { PiiRule } from './types.js';

/**
 * Japanese phone numbers: 0AB-CDE-FGHJ forms with hyphens, spaces or parentheses (03(1234)5678,
 * (03)1234-5678), mobile/IP (070/080/090/050) and toll-free 0120/0800; +81 international form.
 */
export const PHONE_RE =
  /(?<![\d\-+.])(?:\+81[- ]?|\(?0)(?:\d{1,4}\)?[-. ]?\(?\d{1,4}\)?[-. ]?\d{3,4}|\d{9,10})(?![\d]|[-.]\d)/g;
/** Kanji numerals (〇九〇-一二三四-五六七八), read only just after a phone cue. */
const KANJI_DIGITS = '〇一二三四五六七八九';
const KANJI_AFTER_CUE = 24;
const CUE = /電話|TEL|Tel|tel|携帯|連絡先|FAX|Fax|ファクス|ファックス|☎|℡|phone/;
const NON_PHONE_BEFORE = /(番号|No\.?|第|ID)[:： ]*$/;

function plausible(digits: string): boolean {
  if (digits.startsWith('81')) digits = '0' + digits.slice(2);
  if (!digits.startsWith('0')) return false;
  if (/^0[5789]0/.test(digits)) return digits.length === 11;
  if (/^0120/.test(digits)) return digits.length === 10;
  if (/^0800/.test(digits)) return digits.length === 11;
  return digits.length === 10 && digits[1] !== '0';
}

export const phoneRule: PiiRule = {
  type: 'phone',
  label: '電話番号',
  detect(ctx) {
    const out: Finding[] = [];
    kanjiPhones(ctx.folded, (start, end) => out.push(makeFinding(ctx, 'phone', start, end, 0.95)));
    // Every plausible number has 10 digits (+81 forms 11).
    if (featuresOf(ctx).digits < 10) return out;
    for (const m of matches(ctx.folded, PHONE_RE)) {
      let raw = m[0];
      let start = m.index;
      const digits = digitsOnly(raw);
      if (!plausible(digits)) continue;
      // Balanced parentheses only: "(03)1234" ok; in "(0120-123-456)" the "(" belongs to the text.
      const unbalanced = (s: string) => (s.match(/\(/g)?.length ?? 0) !== (s.match(/\)/g)?.length ?? 0);
      if (unbalanced(raw) && raw.startsWith('(')) {
        raw = raw.slice(1);
        start++;
      }
      if (unbalanced(raw)) continue;
      const end = start + raw.length;
      const separated = /[-(). ]/.test(raw) || raw.startsWith('+');
      const cue = cueBefore(ctx.folded, start, CUE, 16);
      if (!cue && cueBefore(ctx.folded, start, NON_PHONE_BEFORE, 8)) continue;
      const mobile = /^0[789]0/.test(digits);
      // Unseparated fixed-line numbers are too easily other ids: need a cue.
      if (!separated && !cue && !mobile) continue;
      out.push(makeFinding(ctx, 'phone', start, end, cue ? 0.97 : separated ? 0.9 : 0.8));
    }
    return out;
  },
};

const CUE_G = new RegExp(CUE.source, 'g');

/** Phones in kanji numerals within a short window after each cue (電話 〇三-一二三四-五六七八). */
function kanjiPhones(f: string, push: (start: number, end: number) => void): void {
  if (!CUE.test(f)) return;
  for (const c of matches(f, CUE_G)) {
    const a = c.index + c[0].length;
    const region = f.slice(a, a + KANJI_AFTER_CUE);
    let kanji = 0;
    for (const ch of region) if (KANJI_DIGITS.includes(ch)) kanji++;
    if (kanji < 10) continue;
    // Kanji numerals → digits one for one (ー between them is a dash), then the ordinary pattern.
    let ascii = '';
    for (const ch of region) {
      const d = KANJI_DIGITS.indexOf(ch);
      ascii += d >= 0 ? String(d) : ch;
    }
    ascii = ascii.replace(/(?<=\d)ー(?=\d)/g, '-');
    for (const m of matches(ascii, PHONE_RE)) {
      if (!plausible(digitsOnly(m[0])) || !/[〇一二三四五六七八九]/.test(region.slice(m.index, m.index + m[0].length))) continue;
      push(a + m.index, a + m.index + m[0].length);
    }
  }
}
