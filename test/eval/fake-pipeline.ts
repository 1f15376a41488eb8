import { policyBlock, upstreamError } from '../../src/core/errors.js';
import type { Citation } from '../../src/core/types.js';
import type { GovernedRequest, GovernedResult } from '../../src/gateway/types.js';
import type { ModelInfo } from '../../src/models/types.js';

/** A reply a scripted fake model gives: text, optionally citing given passages by number, or a fault. */
export type FakeReply = string | { content: string; cite?: number[]; abstained?: boolean } | { block: string } | { fail: string };

export const fakeInfo = (id: string): ModelInfo => ({ id, provider: 'openai-compatible', origin: 'domestic', hosting: 'on-prem', clearance: 3, priceInputPer1k: 1, priceOutputPer1k: 2, fallback: [], watts: 300, accepts: { sampling: true, penalties: true, stop: true, responseFormat: true, tools: true, reasoning: true } });

/**
 * A stand-in for the governed pipeline: replies are looked up by the last user message per model
 * (`*` for any model). Every call is recorded.
 */
export function fakePipeline(replies: Record<string, Record<string, FakeReply | ((req: GovernedRequest) => FakeReply)>>, delayMs = 0) {
  const calls: GovernedRequest[] = [];
  const run = async (req: GovernedRequest): Promise<GovernedResult> => {
    calls.push(req);
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    const model = req.model ?? 'default';
    const user = [...req.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
    const table = replies[model] ?? {};
    let reply = table[user] ?? table['*'] ?? replies['*']?.[user] ?? replies['*']?.['*'] ?? '分かりません';
    if (typeof reply === 'function') reply = reply(req);
    if (typeof reply === 'object' && 'block' in reply) throw policyBlock(reply.block, { reason: 'confidentiality_exceeds_clearance' });
    if (typeof reply === 'object' && 'fail' in reply) throw upstreamError(reply.fail);
    const r = typeof reply === 'string' ? { content: reply } : reply;
    const citations: Citation[] = (r.cite ?? []).map((n) => {
      const p = req.passages?.find((x) => x.n === n);
      return { source: p?.source ?? '?', chunk: p?.chunk ?? 0, quote: p?.text ?? '' };
    });
    const completion = Array.from(r.content).length;
    return {
      model: fakeInfo(model),
      content: r.content,
      usage: { prompt_tokens: 10, completion_tokens: completion, total_tokens: 10 + completion },
      citations,
      abstained: r.abstained ?? false,
      confidentiality: 1,
      policy: 'allow',
      masked: [],
      flags: [],
      auditId: calls.length,
      costJpy: 0.01,
      energyWh: 0.002,
      latencyMs: 5 + (calls.length % 3),
    };
  };
  return { run, calls };
}
