import { queueReason, type ReviewQueue } from '../review/index.js';
import type { ReviewPort } from './pipeline.js';

/** The review queue as the pipeline sees it. */
export function reviewPort(queue: ReviewQueue): ReviewPort {
  return {
    async enqueue(item) {
      const citations = Array.isArray(item.citations) ? (item.citations as { source: string; chunk: number }[]).map((c) => ({ source: c.source, chunk: c.chunk })) : undefined;
      const r = await queue.enqueue({
        requester: item.actor,
        reasons: [...new Set(item.reasons.map(queueReason))],
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
