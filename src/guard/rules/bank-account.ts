import type { Finding } from '../types.js';
import { featuresOf } from '../text/features.js';
import { cueBefore, makeFinding, matches } from './context.js';
import type { PiiRule } from './types.js';

/** Account numbers: 7 digits (banks), or ゆうちょ 記号 5 digits + 番号 up to 8 digits. */
export const ACCOUNT_RE = /(?<![\d-])(?:1\d{4}-\d{6,8}|\d{7})(?![\d]|-\d)/g;
const ACCOUNT_CUE = /口座番号|普通|当座|貯蓄|口座|記号番号|振込先|振替先|預金/;
const BANK_CUE = /銀行|信用金庫|信金|信用組合|労働金庫|農協|JA|ゆうちょ|支店|口座/;

export const bankAccountRule: PiiRule = {
  type: 'bank_account',
  label: '口座番号',
  detect(ctx) {
    const out: Finding[] = [];
    if (featuresOf(ctx).digits < 7 || !ACCOUNT_CUE.test(ctx.folded) || !BANK_CUE.test(ctx.folded)) return out;
    for (const m of matches(ctx.folded, ACCOUNT_RE)) {
      if (!cueBefore(ctx.folded, m.index, ACCOUNT_CUE, 14)) continue;
      if (!cueBefore(ctx.folded, m.index, BANK_CUE, 60)) continue;
      out.push(makeFinding(ctx, 'bank_account', m.index, m.index + m[0].length, 0.93));
    }
    return out;
  },
};
