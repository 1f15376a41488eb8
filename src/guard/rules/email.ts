import type { Finding } from '../types.js';
import { featuresOf } from '../text/features.js';
import { makeFinding, matches } from './context.js';
import type { PiiRule } from './types.js';

export const EMAIL_RE = /(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}(?![\w-])/g;

export const emailRule: PiiRule = {
  type: 'email',
  label: 'メールアドレス',
  detect(ctx) {
    const out: Finding[] = [];
    if (!featuresOf(ctx).at) return out;
    for (const m of matches(ctx.folded, EMAIL_RE)) out.push(makeFinding(ctx, 'email', m.index, m.index + m[0].length, 0.99));
    return out;
  },
};
