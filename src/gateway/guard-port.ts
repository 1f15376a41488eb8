import type { Guard } from '../guard/guard.js';
import { createMaskSession, maskFindings } from '../guard/mask.js';
import { decide } from '../guard/policy.js';
import type { GuardFlag } from '../guard/types.js';
import type { GuardPort } from './pipeline.js';

/** Flags that concern a model's output (the rest describe inputs). */
const OUTPUT_FLAGS = new Set<GuardFlag>(['copyright_overlap', 'placeholder_leak', 'prompt_injection']);

/** The guard as the pipeline sees it. */
export function guardPort(guard: Guard): GuardPort {
  return {
    scan: (text, options) => guard.scan(text, options),
    newSession: createMaskSession,
    mask: (text, session, scan) => (scan ? maskFindings(text, scan.findings, session) : guard.mask(text, session)),
    unmask: (text, session) => guard.unmask(text, session),
    checkOutput(text, session) {
      // Personal-data rules are skipped (types: []): the output checks are about overlap, leaks and echoes.
      const r = guard.scan(text, { origin: 'output', session, types: [] });
      return { flags: r.flags.filter((f) => OUTPUT_FLAGS.has(f)), details: r.details.filter((d) => OUTPUT_FLAGS.has(d.flag)) };
    },
    decide: (level, clearance) => decide(level, clearance, guard.config.policy),
  };
}
