import type { ResolvedConfig } from '../config/load.js';
import type { ReviewReason } from './types.js';

export type ReviewPolicy = ResolvedConfig['review'];

export interface ReviewFacts {
  flags: readonly string[];
  confidentiality: number;
  /** Share of the answer supported by citations (0–1), when measured. */
  grounding?: number;
  /** The app or caller requires review (apps marked 要確認). */
  appRequiresReview?: boolean;
}

/** Grounding below this counts as low. */
export const LOW_GROUNDING = 0.5;

/** Which reasons (if any) hold this output for a reviewer under the configured policy. */
export function reviewReasons(policy: ReviewPolicy, facts: ReviewFacts): ReviewReason[] {
  const reasons: ReviewReason[] = [];
  const has = (re: RegExp) => facts.flags.some((f) => re.test(f));
  if (policy.require.copyright && has(/copyright/)) reasons.push('copyright');
  if (policy.require.injection && has(/injection/)) reasons.push('injection');
  if (facts.confidentiality >= policy.require.minConfidentiality) reasons.push('confidentiality');
  if (policy.require.lowGrounding && facts.grounding !== undefined && facts.grounding < LOW_GROUNDING) reasons.push('low_grounding');
  if (facts.appRequiresReview) reasons.push('app_requires_review');
  return reasons;
}
