import type { Finding } from '../types.js';
import { digitsOnly, isValidMyNumber } from '../checks/check-digits.js';
import { featuresOf } from '../text/features.js';
import { makeFinding, matches } from './context.js';
import type { PiiRule } from './types.js';

/** Between the 4-digit groups: a hyphen, dot, slash or underscore, spaces, or a line break. */
const SEP = '(?:[-./_]|[ \\t]{1,4}|[ \\t]*\\r?\\n[ \\t]*)?';
/** The same, within a line: what may not join the number to more digits. */
const LINE_SEP = '(?:[-./_]|[ \\t]{1,4})';
/** 12 digits, optionally in 4-4-4 groups, not part of a longer number. */
export const MY_NUMBER_RE = new RegExp(`(?<![\\d-]|\\d${LINE_SEP})\\d{4}${SEP}\\d{4}${SEP}\\d{4}(?!\\d|${LINE_SEP}\\d)`, 'g');
/** The same in kanji numerals (一二三四 五六七八 九〇一八), read only after a cue. */
const KANJI_DIGIT = '[〇零一二三四五六七八九]';
const KANJI_RE = new RegExp(`(?<!${KANJI_DIGIT})${KANJI_DIGIT}{4}${SEP}${KANJI_DIGIT}{4}${SEP}${KANJI_DIGIT}{4}(?!${KANJI_DIGIT})`, 'g');
const KANJI_VALUE: Record<string, string> = { 〇: '0', 零: '0', 一: '1', 二: '2', 三: '3', 四: '4', 五: '5', 六: '6', 七: '7', 八: '8', 九: '9' };

/** Case folded by hand: a case-insensitive regex scans every message noticeably slower. */
const anyCase = (w: string): string => w.replace(/[a-z]/g, (c) => `[${c}${c.toUpperCase()}]`);
/** Words that name the number itself (in prose, form labels and JSON/English keys). */
const EXPLICIT_SOURCE = `マイ ?ナンバー|個人番号|${anyCase('my')}[ _-]?${anyCase('number')}|${anyCase('individual')}[ _-]?${anyCase('number')}|${anyCase('kojin')}[ _-]?${anyCase('bang')}?${anyCase('ou')}?`;
const EXPLICIT = new RegExp(EXPLICIT_SOURCE, 'g');
const POSITIVE = new RegExp(`${EXPLICIT_SOURCE}|特定個人情報`);
const POSITIVE_G = new RegExp(POSITIVE.source, 'g');
/** Numbers that are identifiers of documents, payments or accounts, not people. */
const NEGATIVE = /(文書|受付|管理|整理|申請|伝票|注文|契約|請求|問合せ|問い合わせ|登録|口座|法人|会員|お客様|証券|保険証|記号)番号|金額|合計|円|No\.?|ID|口座|法人/i;
/**
 * After an explicit cue, only another kind of number named after it vetoes (個人番号カードのシリアル番号,
 * マイナンバー…受付番号); generic labels (マイナンバーNo., マイナンバー（ID）：) do not.
 */
const OTHER_NUMBER = /[\p{Script=Han}\p{Script=Katakana}ー]番号|金額|合計|円|口座|法人/u;
/** How far before the number a cue counts (blank lines included: a form's label may stand apart). */
const WINDOW = 120;
/** Within this distance, on the same paragraph, the cue is close. */
const NEAR = 30;
const VETO_WINDOW = 8;
/** Kanji numerals are looked for this far after a cue (enough for 一二三四 五六七八 九〇一八 after a label). */
const KANJI_WINDOW = 60;

export const myNumberRule: PiiRule = {
  type: 'my_number',
  label: '個人番号',
  detect(ctx) {
    const out: Finding[] = [];
    // Pre-filter: a positive cue somewhere, and 12 digits (or kanji numerals), or no window can pass.
    const f = ctx.folded;
    if (!POSITIVE.test(f)) return out;
    if (featuresOf(ctx).digits >= 12) for (const m of matches(f, MY_NUMBER_RE)) check(ctx, out, m.index, m[0]);
    // Kanji numerals only in the window after each cue (a scan of the whole text costs every message).
    let from = 0;
    for (const c of matches(f, POSITIVE_G)) {
      const a = Math.max(from, c.index + c[0].length);
      const b = Math.min(f.length, c.index + c[0].length + KANJI_WINDOW);
      from = b;
      if (!kanjiRun(f, a, b)) continue;
      const region = f.slice(a, b);
      for (const m of matches(region, KANJI_RE)) check(ctx, out, a + m.index, m[0].replace(/[〇零一二三四五六七八九]/g, (d) => KANJI_VALUE[d]!));
    }
    return out;
  },
};

const KANJI_CODES = new Set([...'〇零一二三四五六七八九'].map((d) => d.charCodeAt(0)));

/** Whether [a, b) holds four kanji numerals in a row (a character loop: regexes over kanji are slow). */
function kanjiRun(f: string, a: number, b: number): boolean {
  for (let i = a, run = 0; i < b; i++) {
    if (!KANJI_CODES.has(f.charCodeAt(i))) run = 0;
    else if (++run === 4) return true;
  }
  return false;
}

function check(ctx: Parameters<PiiRule['detect']>[0], out: Finding[], start: number, raw: string): void {
  const f = ctx.folded;
  const digits = digitsOnly(raw);
  if (!isValidMyNumber(digits)) return;
  const end = start + raw.length;
  if (f[end] === '円' || f.startsWith('号', end)) return;
  const seg = f.slice(Math.max(0, start - WINDOW), start);
  // The last explicit cue before the number.
  let cueEnd = -1;
  EXPLICIT.lastIndex = 0;
  for (let m: RegExpExecArray | null; (m = EXPLICIT.exec(seg)); ) cueEnd = m.index + m[0].length;
  let near: boolean;
  if (cueEnd >= 0) {
    // Another kind of number named between the cue and this one (個人番号カードの受付番号 …) vetoes.
    if (OTHER_NUMBER.test(seg.slice(Math.max(cueEnd, seg.length - VETO_WINDOW)))) return;
    near = seg.length - cueEnd <= NEAR && !seg.slice(cueEnd).includes('\n\n');
  } else {
    // Only 特定個人情報: as before, near and without a veto word.
    const close = seg.slice(-NEAR);
    const para = close.lastIndexOf('\n\n');
    if (!POSITIVE.test(para >= 0 ? close.slice(para) : close)) return;
    if (NEGATIVE.test(seg.slice(-VETO_WINDOW))) return;
    near = true;
  }
  // About 1 in 10 random 12-digit numbers passes the check, so a bare number is never enough.
  out.push(makeFinding(ctx, 'my_number', start, end, near ? 0.97 : 0.9));
}
