import type { Confidentiality } from '../core/types.js';
import type { GuardConfig } from './config.js';

export type PolicyAction = 'allow' | 'mask' | 'block';

/**
 * What to do when text of `level` goes to a model cleared up to `clearance`: text at or below the
 * clearance is always allowed; above it, the configured action for that level applies.
 */
export function decide(level: Confidentiality, clearance: number, policy: GuardConfig['policy']): PolicyAction {
  if (level <= clearance || level === 1) return 'allow';
  return policy[String(level) as '2' | '3'];
}
