import type { Finding } from '../types.js';
import { featuresOf } from '../text/features.js';
import { cueBefore, makeFinding, matches } from './context.js';
import type { PiiRule } from './types.js';

/** 〒123-4567, 123-4567, 〒1234567 (the span is the 7 digits with their hyphen). */
export const POSTAL_RE = /(〒 ?)?(?<![\d-])(\d{3})-?(\d{4})(?![\d]|-\d)/dg;
const CUE = /郵便番号|〒|住所|所在地|送付先|〒/;
const NEGATIVE_BEFORE = /(電話|TEL|FAX|番号|No\.?|第)[:： ]*$/i;

export const postalCodeRule: PiiRule = {
  type: 'postal_code',
  label: '郵便番号',
  detect(ctx) {
    const out: Finding[] = [];
    if (featuresOf(ctx).digits < 7) return out;
    for (const m of matches(ctx.folded, POSTAL_RE)) {
      const start = m.indices![2]![0];
      const end = m.indices![3]![1];
      const hyphen = ctx.folded[m.indices![2]![1]] === '-';
      const mark = !!m[1];
      const cue = mark || cueBefore(ctx.folded, start, CUE, 12);
      if (!cue && (!hyphen || cueBefore(ctx.folded, start, NEGATIVE_BEFORE, 8))) continue;
      // 2024-0123 style years and serials: a hyphenated 3-4 with no cue must not follow a digit group.
      if (!cue && /[年月日号円]/.test(ctx.folded[end] ?? '')) continue;
      out.push(makeFinding(ctx, 'postal_code', start, end, cue ? 0.97 : 0.75));
    }
    return out;
  },
};
