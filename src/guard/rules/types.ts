import type { Finding, FindingType } from '../types.js';
import type { NameAnalyzer } from '../names/analyzer.js';
import type { TextFeatures } from '../text/features.js';

/**
 * What every personal-data rule sees. Rules match on `folded` (text/normalize.ts: invisible characters
 * removed, NFKC) and report offsets into it; a finding's `text` is cut from `text`, which has the same
 * length as `folded` (the guard maps spans back to the original when the normalisation changed lengths).
 */
export interface RuleContext {
  text: string;
  folded: string;
  names: NameAnalyzer;
  /** Counts over `folded`, computed once per scan (rules compute them when absent). */
  features?: TextFeatures;
}

/** One personal-data rule: a small module registered in rules/index.ts. */
export interface PiiRule {
  type: FindingType;
  /** Placeholder label: 〔氏名1〕. */
  label: string;
  detect(ctx: RuleContext): Finding[];
}
