import type { ResolvedConfig } from '../config/load.js';
import type { ReviewReason } from './types.js';

export type ReviewPolicy = ResolvedConfig['review'];

/** What is known about a governed call when deciding whether a person must see it first. */
export interface ReviewFacts {
  /** Guard flags raised on the input (messages and retrieved passages). */
  inputFlags: readonly string[];
  /** Guard flags raised on the model's output (after the call). */
  outputFlags?: readonly string[];
  /** Confidentiality level of the input (1–3). */
  confidentiality: number;
  /** The app or caller requires review (apps marked 要確認). */
  appRequiresReview?: boolean;
  /** A grounded answer (資料QA, file_search) that cites no passage and does not abstain, also when the search found none (after the call). */
  uncitedAnswer?: boolean;
}

/**
 * Why this call is held for a reviewer under the configured policy — the one place that decides it.
 * Causes are fine-grained (they are recorded in the audit event); `queueReason` maps each to the
 * review queue's reason code. Called before the model (input facts only: decides whether an answer
 * may stream) and after it (output facts added).
 */
export function reviewCauses(policy: ReviewPolicy, f: ReviewFacts): string[] {
  const need = policy.require;
  const out = f.outputFlags ?? [];
  const causes: string[] = [];
  if (need.copyright && f.inputFlags.includes('copyright_reference')) causes.push('copyright_reference');
  if (need.injection && (f.inputFlags.includes('prompt_injection') || out.includes('prompt_injection'))) causes.push('prompt_injection');
  if (f.appRequiresReview) causes.push('app_requires_review');
  if (need.copyright && out.includes('copyright_overlap')) causes.push('copyright_overlap');
  // A placeholder in the output means masked data may be re-identified: always held, whatever the policy.
  if (out.includes('placeholder_leak')) causes.push('placeholder_leak');
  if (f.confidentiality >= need.minConfidentiality) causes.push(`confidentiality_${f.confidentiality}`);
  if (need.lowGrounding && f.uncitedAnswer) causes.push('low_grounding');
  return causes;
}

/** A cause (see reviewCauses) as the review queue's reason code. */
export function queueReason(cause: string): ReviewReason {
  if (cause.startsWith('copyright')) return 'copyright';
  if (cause === 'prompt_injection') return 'injection';
  if (cause === 'low_grounding' || cause === 'app_requires_review') return cause;
  // confidentiality_N and placeholder_leak: the output may carry data above what the caller cleared.
  return 'confidentiality';
}
