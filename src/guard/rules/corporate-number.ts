import type { Finding } from '../types.js';
import { digitsOnly, isValidCorporateNumber } from '../checks/check-digits.js';
import { featuresOf } from '../text/features.js';
import { cueBefore, makeFinding, matches } from './context.js';
import type { PiiRule } from './types.js';

/** 13 digits (or T + 13 digits, the invoice registration number of a corporation; the span excludes T). */
export const CORPORATE_NUMBER_RE = /(?<![\d-]|\d )(T)?\d{1}[- ]?\d{4}[- ]?\d{4}[- ]?\d{4}(?![\d]|[- ]\d)/g;
const POSITIVE = /法人番号|登録番号|適格請求書|インボイス|corporate number/i;

export const corporateNumberRule: PiiRule = {
  type: 'corporate_number',
  label: '法人番号',
  detect(ctx) {
    const out: Finding[] = [];
    // Pre-filter: 13 digits and a positive cue somewhere, or no window can pass.
    if (featuresOf(ctx).digits < 13 || !POSITIVE.test(ctx.folded)) return out;
    for (const m of matches(ctx.folded, CORPORATE_NUMBER_RE)) {
      const digits = digitsOnly(m[0]);
      if (!isValidCorporateNumber(digits)) continue;
      // The span is the 13 digits; a leading T (invoice registration) stays outside.
      const start = m.index + (m[1] ? 1 : 0);
      const end = m.index + m[0].length;
      // Bare 13-digit numbers pass the mod-9 check about 1 time in 9: require the context.
      if (!cueBefore(ctx.folded, start, POSITIVE, 30)) continue;
      out.push(makeFinding(ctx, 'corporate_number', start, end, m[1] ? 0.95 : 0.97));
    }
    return out;
  },
};
