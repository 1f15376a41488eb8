import type { FlagRule } from './types.js';

/** Outputs that copy long verbatim runs of a registered protected work, naming the source. */
export const copyrightOverlapRule: FlagRule = {
  flag: 'copyright_overlap',
  origins: ['output'],
  detect(ctx) {
    return ctx.corpus.check(ctx.text).map((o) => ({
      flag: 'copyright_overlap' as const,
      reason: `保護対象「${o.source}」と ${o.length} 文字が一致（含有率 ${(o.containment * 100).toFixed(1)}%）`,
      start: o.start,
      end: o.end,
      score: Math.min(1, 0.6 + o.length / 200),
      source: o.source,
    }));
  },
};
