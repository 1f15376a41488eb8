import type { Finding } from '../types.js';
import { digitsOnly, isLuhnValid } from '../checks/check-digits.js';
import { featuresOf } from '../text/features.js';
import { cueBefore, makeFinding, matches } from './context.js';
import type { PiiRule } from './types.js';

/** 14–19 digits, grouped by spaces/hyphens (4-4-4-4, 4-6-4/5) or not. */
export const CARD_RE = /(?<![\d-]|\d )\d{4}(?:[- ]?\d{2,6}){2,4}(?![\d]|[- ]\d)/g;
const CUE = /カード|クレジット|card|VISA|Visa|Master|JCB|AMEX|Amex|Diners/i;
const NOT_CARD_BEFORE = /(申込|見積|注文|管理|受付|伝票|整理|文書|会員|お客様|申請書)(番号|ID)[:： ]*$/;
const BRANDS = /^(4\d{15,18}|5[1-5]\d{14}|2[2-7]\d{14}|3[47]\d{13}|35\d{14}|3[068]\d{12,14}|6\d{15,18})$/;

export const creditCardRule: PiiRule = {
  type: 'credit_card',
  label: 'カード番号',
  detect(ctx) {
    const out: Finding[] = [];
    if (featuresOf(ctx).digits < 14) return out;
    for (const m of matches(ctx.folded, CARD_RE)) {
      const digits = digitsOnly(m[0]);
      if (digits.length < 14 || digits.length > 19) continue;
      if (!BRANDS.test(digits) || !isLuhnValid(digits)) continue;
      const cue = cueBefore(ctx.folded, m.index, CUE, 30);
      if (cueBefore(ctx.folded, m.index, NOT_CARD_BEFORE, 10)) continue;
      out.push(makeFinding(ctx, 'credit_card', m.index, m.index + m[0].length, cue ? 0.97 : 0.85));
    }
    return out;
  },
};
