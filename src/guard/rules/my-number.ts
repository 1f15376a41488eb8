import type { Finding } from '../types.js';
import { digitsOnly, isValidMyNumber } from '../checks/check-digits.js';
import { featuresOf } from '../text/features.js';
import { cueBefore, makeFinding, matches } from './context.js';
import type { PiiRule } from './types.js';

/** 12 digits, optionally 4-4-4 with hyphens or spaces, not part of a longer number. */
export const MY_NUMBER_RE = /(?<![\d-]|\d )\d{4}[- ]?\d{4}[- ]?\d{4}(?![\d]|[- ]\d)/g;
const POSITIVE = /マイ ?ナンバー|個人番号|my ?number|特定個人情報/i;
/** Numbers that are identifiers of documents, payments or accounts, not people. */
const NEGATIVE = /(文書|受付|管理|整理|申請|伝票|注文|契約|請求|問合せ|問い合わせ|登録|口座|法人|会員|お客様|証券|保険証|記号)番号|金額|合計|円|No\.?|ID|口座|法人/i;

export const myNumberRule: PiiRule = {
  type: 'my_number',
  label: '個人番号',
  detect(ctx) {
    const out: Finding[] = [];
    // Pre-filter: 12 digits and a positive cue somewhere, or no window can pass.
    if (featuresOf(ctx).digits < 12 || !POSITIVE.test(ctx.folded)) return out;
    for (const m of matches(ctx.folded, MY_NUMBER_RE)) {
      const digits = digitsOnly(m[0]);
      if (!isValidMyNumber(digits)) continue;
      const start = m.index;
      const end = start + m[0].length;
      if (ctx.folded[end] === '円' || ctx.folded.startsWith('号', end)) continue;
      const positive = cueBefore(ctx.folded, start, POSITIVE, 30);
      // About 1 in 10 random 12-digit numbers passes the check, so a bare number is not enough.
      if (!positive) continue;
      const negative = cueBefore(ctx.folded, start, NEGATIVE, 8);
      if (negative) continue;
      out.push(makeFinding(ctx, 'my_number', start, end, 0.97));
    }
    return out;
  },
};
