import type { Actor } from '../core/types.js';
import type { ChatRunner } from '../models/chat-turn.js';
import type { GovernedResult } from './types.js';
import type { Pipeline } from './pipeline.js';

/** `hiraga chat` through the governed pipeline: guard, policy, model, output checks, review, audit. */
export function governedRunner(pipeline: Pipeline, actor: Actor, onResult?: (r: GovernedResult) => void): ChatRunner {
  return async function* (req) {
    for await (const d of pipeline.stream({ actor, model: req.model, messages: req.messages, ...(req.signal ? { signal: req.signal } : {}) })) {
      if (d.type === 'text') yield { type: 'text', text: d.text };
      else {
        const r = d.result;
        onResult?.(r);
        yield {
          type: 'done',
          model: r.model.id,
          content: r.content,
          usage: r.usage,
          extra: {
            confidentiality: r.confidentiality,
            policy: r.policy,
            masked: r.masked,
            flags: r.flags,
            ...(r.review ? { review: r.review } : {}),
            audit_id: r.auditId,
            cost_jpy: r.costJpy,
            energy_wh: r.energyWh,
          },
        };
      }
    }
  };
}
