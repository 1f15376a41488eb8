import { extend } from '../../core/objects.js';
import type { GovernedResult } from '../types.js';

/** hiraga's extra field on every completion: what governance did to this call. */
export function hiragaField(r: GovernedResult) {
  return {
    confidentiality: r.confidentiality,
    policy: r.policy,
    masked: r.masked,
    flags: r.flags,
    review: r.review ?? null,
    audit_id: r.auditId,
    cost_jpy: r.costJpy,
    energy_wh: r.energyWh,
    model: { id: r.model.id, origin: r.model.origin, hosting: r.model.hosting, clearance: r.model.clearance },
    ...(r.citations?.length ? { citations: r.citations } : {}),
  };
}

const usageOf = (r: GovernedResult) => ({
  prompt_tokens: r.usage.prompt_tokens,
  completion_tokens: r.usage.completion_tokens,
  total_tokens: r.usage.total_tokens,
});

/** OpenAI's form of tool calls: in a message, or (with `index`) in a stream's delta. */
const wireToolCalls = (r: GovernedResult) =>
  (r.toolCalls ?? []).map((t, index) => ({ index, id: t.id, type: 'function' as const, function: { name: t.name, arguments: t.arguments } }));

function message(r: GovernedResult) {
  if (r.refusal !== undefined) return { role: 'assistant' as const, content: r.content || null, refusal: r.refusal };
  if (!r.toolCalls?.length) return { role: 'assistant' as const, content: r.content, refusal: null };
  // OpenAI sends content null when the model only called functions.
  return { role: 'assistant' as const, content: r.content || null, refusal: null, tool_calls: wireToolCalls(r).map(({ index: _, ...call }) => call) };
}

export function chatCompletion(id: string, created: number, r: GovernedResult) {
  return {
    id,
    object: 'chat.completion' as const,
    created,
    model: r.model.id,
    choices: [{ index: 0, message: message(r), logprobs: null, finish_reason: r.finishReason ?? 'stop' }],
    usage: usageOf(r),
    system_fingerprint: null,
    hiraga: hiragaField(r),
  };
}

export function chunk(id: string, created: number, model: string, delta: { role?: 'assistant'; content?: string; tool_calls?: unknown[]; refusal?: string }, finish: GovernedResult['finishReason'] | null = null) {
  return { id, object: 'chat.completion.chunk' as const, created, model, system_fingerprint: null, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] };
}

/**
 * The SSE event of one text delta, exactly `sseEvent(chunk(id, created, model, { content }))`, from a
 * prefix and suffix built once per stream: only the text is serialised per event.
 */
export function textEventWriter(id: string, created: number, model: string): (content: string) => string {
  const prefix = `data: {"id":${JSON.stringify(id)},"object":"chat.completion.chunk","created":${JSON.stringify(created)},"model":${JSON.stringify(model)},"system_fingerprint":null,"choices":[{"index":0,"delta":{"content":`;
  const suffix = '},"logprobs":null,"finish_reason":null}]}\n\n';
  return (content) => prefix + JSON.stringify(content) + suffix;
}

export function finalChunk(id: string, created: number, r: GovernedResult) {
  return extend(chunk(id, created, r.model.id, {}, r.finishReason ?? 'stop'), { hiraga: hiragaField(r) });
}

/** The model's refusal, whole, in one delta (it reaches the pipeline whole, checked like the text). */
export function refusalChunk(id: string, created: number, r: GovernedResult) {
  return chunk(id, created, r.model.id, { refusal: r.refusal ?? '' });
}

/** The stream's tool calls, whole, in one delta (they reach the pipeline whole: placeholders are restored in them). */
export function toolCallsChunk(id: string, created: number, r: GovernedResult) {
  return chunk(id, created, r.model.id, { tool_calls: wireToolCalls(r) });
}

/** The usage chunk sent when `stream_options.include_usage` is set: no choices, only usage. */
export function usageChunk(id: string, created: number, r: GovernedResult) {
  return { id, object: 'chat.completion.chunk' as const, created, model: r.model.id, system_fingerprint: null, choices: [], usage: usageOf(r) };
}
