import type { FlagDetail, GuardFlag, ScanOptions } from '../types.js';
import { copyrightOverlapRule } from './copyright-overlap.js';
import { copyrightReferenceRule } from './copyright-reference.js';
import { markingRule } from './marking.js';
import { placeholderLeakRule } from './placeholder-leak.js';
import { promptInjectionRule } from './prompt-injection.js';
import type { FlagContext, FlagRule } from './types.js';

/** The ONE table of flag rules: a flag without a rule does not compile. */
export const FLAG_RULES: Record<GuardFlag, FlagRule> = {
  confidentiality_marking: markingRule,
  copyright_reference: copyrightReferenceRule,
  copyright_overlap: copyrightOverlapRule,
  prompt_injection: promptInjectionRule,
  placeholder_leak: placeholderLeakRule,
};

/** Flags raise at this score. */
export const FLAG_THRESHOLD = 0.5;

const RULE_LIST = Object.values(FLAG_RULES);

export function runFlagRules(ctx: FlagContext): FlagDetail[] {
  const origin: NonNullable<ScanOptions['origin']> = ctx.options.origin ?? 'prompt';
  const out: FlagDetail[] = [];
  for (const rule of RULE_LIST) {
    if (rule.origins && !rule.origins.includes(origin)) continue;
    for (const d of rule.detect(ctx)) if ((d.score ?? 1) >= FLAG_THRESHOLD) out.push(d);
  }
  return out;
}
