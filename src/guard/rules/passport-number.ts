import type { Finding } from '../types.js';
import { featuresOf } from '../text/features.js';
import { cueBefore, makeFinding, matches } from './context.js';
import type { PiiRule } from './types.js';

/** Japanese passports: two letters and seven digits (TK1234567). */
export const PASSPORT_RE = /(?<![A-Za-z0-9])[A-Z]{2}\d{7}(?![A-Za-z0-9])/g;
const CUE = /旅券|パスポート|passport/i;

export const passportNumberRule: PiiRule = {
  type: 'passport_number',
  label: '旅券番号',
  detect(ctx) {
    const out: Finding[] = [];
    const feat = featuresOf(ctx);
    if (feat.digits < 7 || feat.upper < 2 || !CUE.test(ctx.folded)) return out;
    for (const m of matches(ctx.folded, PASSPORT_RE)) {
      // Product codes and form numbers share the shape: only in a passport context.
      if (!cueBefore(ctx.folded, m.index, CUE, 40)) continue;
      out.push(makeFinding(ctx, 'passport_number', m.index, m.index + m[0].length, 0.95));
    }
    return out;
  },
};
