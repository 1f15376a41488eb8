import type { ReviewQueue, ReviewReason } from '../review/index.js';
import type { ReviewPort } from './pipeline.js';

/** Pipeline reasons (flag names, `confidentiality_3`, …) → the review queue's reason codes. */
function toReason(r: string): ReviewReason {
  if (r.startsWith('copyright')) return 'copyright';
  if (r === 'prompt_injection') return 'injection';
  if (r === 'low_grounding' || r === 'app_requires_review') return r;
  // confidentiality_N and placeholder_leak: the output may carry data above what the caller cleared.
  return 'confidentiality';
}

/** The review queue as the pipeline sees it. */
export function reviewPort(queue: ReviewQueue): ReviewPort {
  return {
    async enqueue(item) {
      const citations = Array.isArray(item.citations) ? (item.citations as { source: string; chunk: number }[]).map((c) => ({ source: c.source, chunk: c.chunk })) : undefined;
      const r = await queue.enqueue({
        requester: item.actor,
        reasons: [...new Set(item.reasons.map(toReason))],
        output: item.output,
        input: item.input,
        model: item.model,
        ...(item.app ? { app: item.app } : {}),
        ...(item.auditId !== undefined ? { auditId: item.auditId } : {}),
        ...(citations ? { citations } : {}),
      });
      return { id: r.id };
    },
  };
}
