import { internalError } from '../../core/errors.js';
import type { CallOutcome, Prompt } from '../types.js';

/** A prompt whose user message is the item input, with an optional instruction as the system message. */
export function userPrompt(input: string, instruction?: string, label?: string): Prompt {
  return {
    messages: [...(instruction ? [{ role: 'system' as const, content: instruction }] : []), { role: 'user' as const, content: input }],
    query: input,
    ...(label ? { label } : {}),
  };
}

export function firstCall(calls: CallOutcome[]): CallOutcome {
  const c = calls[0];
  if (!c) throw internalError('a scorer got no call outcome');
  return c;
}

export const clip = (s: string, n = 120) => (s.length > n ? `${s.slice(0, n)}…` : s).replace(/\s+/g, ' ');
