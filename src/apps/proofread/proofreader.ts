import { analyse } from './morphology.js';
import { RULE_FAMILIES, RULE_IDS } from './rules/index.js';
import type { ProofreadIssue, ProofreadResult, RuleId } from './types.js';

export interface ProofreadOptions {
  /** Only these families (default: all). */
  rules?: RuleId[];
}

/** Largest input accepted in one call (characters). */
export const MAX_PROOFREAD_CHARS = 200_000;

/**
 * Proofread a text against the 公用文 rules. Deterministic: the same text always gives the same
 * findings. Overlapping findings are resolved by family priority (rules/index.ts), then by position.
 */
export async function proofread(text: string, options: ProofreadOptions = {}): Promise<ProofreadResult> {
  if (text.length > MAX_PROOFREAD_CHARS) {
    const { badInput } = await import('../../core/errors.js');
    throw badInput(`the text is ${text.length} characters; proofread at most ${MAX_PROOFREAD_CHARS} at a time`);
  }
  const ctx = await analyse(text);
  const wanted = options.rules ?? RULE_IDS;
  const kept: ProofreadIssue[] = [];
  for (const id of RULE_IDS) {
    if (!wanted.includes(id)) continue;
    for (const f of RULE_FAMILIES[id].check(ctx)) {
      if (f.end <= f.start || kept.some((k) => f.start < k.end && f.end > k.start)) continue;
      kept.push({ rule: id, ...f });
    }
  }
  const issues = kept.sort((a, b) => a.start - b.start || a.end - b.end);
  return { issues, corrected: applyFixes(text, issues) };
}

/** Apply the fixable findings (non-overlapping by construction) from the end backwards. */
export function applyFixes(text: string, issues: ProofreadIssue[]): string {
  let out = text;
  for (const i of [...issues].sort((a, b) => b.start - a.start)) {
    if (i.fix) out = out.slice(0, i.start) + i.suggestion + out.slice(i.end);
  }
  return out;
}

/** The public JSON shape of one finding (`hiraga proofread --json`). */
export function publicIssue(i: ProofreadIssue) {
  return { rule: i.rule, start: i.start, end: i.end, message: i.message, suggestion: i.suggestion, fix: i.fix };
}
