/** The guard's public surface: what the gateway, the apps and the CLI import. */
export { createGuard, scan, type Guard, type GuardDeps } from './guard.js';
export { decide, type PolicyAction } from './policy.js';
export { classify, DEFAULT_TYPE_LEVELS } from './confidentiality.js';
export { createMaskSession, maskFindings, unmask, findPlaceholders, canonicalValue } from './mask.js';
export { ProtectedCorpus, type Overlap } from './flags/protected-corpus.js';
export { PII_RULES } from './rules/index.js';
export { FLAG_RULES } from './flags/index.js';
export type { GuardConfig } from './config.js';
export type * from './types.js';
