import { findPlaceholders } from '../mask.js';
import type { FlagRule } from './types.js';

/** Placeholders in an output that the conversation never issued (invented or leaked from elsewhere). */
export const placeholderLeakRule: FlagRule = {
  flag: 'placeholder_leak',
  origins: ['output'],
  detect(ctx) {
    return findPlaceholders(ctx.text, ctx.options.session)
      .filter((p) => !p.known)
      .map((p) => ({ flag: 'placeholder_leak' as const, reason: `未発行のプレースホルダ「${p.placeholder}」`, start: p.start, end: p.end, score: 0.9 }));
  },
};
