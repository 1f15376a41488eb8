import type { Passage } from '../../models/types.js';
import type { GovernedResult } from '../types.js';
import { hiragaField } from './chat-response.js';
import type { ResponsesRequest } from './responses-request.js';

/** What a response object repeats of its request, the same in every event of a stream. */
export interface ResponseHead {
  id: string;
  created_at: number;
  model: string;
  instructions: string | null;
  max_output_tokens: number | null;
  temperature: number | null;
  top_p: number | null;
  tools: unknown[];
  tool_choice: unknown;
  parallel_tool_calls: boolean;
  text: { format: unknown };
  metadata: Record<string, string>;
}

export function responseHead(id: string, createdAt: number, model: string, body: ResponsesRequest): ResponseHead {
  return {
    id,
    created_at: createdAt,
    model,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    temperature: body.temperature ?? null,
    top_p: body.top_p ?? null,
    tools: body.tools ?? [],
    tool_choice: body.tool_choice ?? 'auto',
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    text: { format: body.text?.format ?? { type: 'text' } },
    metadata: body.metadata ?? {},
  };
}

type Status = 'in_progress' | 'completed' | 'incomplete' | 'failed';

/** A response object; `output` and `usage` come once the model has answered. */
function responseObject(head: ResponseHead, status: Status, extra: Record<string, unknown> = {}) {
  return {
    id: head.id,
    object: 'response' as const,
    created_at: head.created_at,
    status,
    background: false,
    error: null,
    incomplete_details: null,
    instructions: head.instructions,
    max_output_tokens: head.max_output_tokens,
    model: head.model,
    output: [] as unknown[],
    parallel_tool_calls: head.parallel_tool_calls,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    store: false,
    temperature: head.temperature,
    text: head.text,
    tool_choice: head.tool_choice,
    tools: head.tools,
    top_p: head.top_p,
    truncation: 'disabled' as const,
    usage: null,
    metadata: head.metadata,
    ...extra,
  };
}

/** The search hiraga ran for a file_search tool before the model call (see responses-request.ts). */
export interface FileSearchDone {
  query: string;
  passages: Passage[];
  /** The request's include asked for file_search_call.results. */
  withResults: boolean;
}

type Annotation = { type: 'file_citation'; file_id: string; filename: string; index: number };

const suffix = (responseId: string) => responseId.slice('resp_'.length);
export const messageItemId = (responseId: string) => `msg_${suffix(responseId)}`;
const callItemId = (responseId: string, i: number) => `fc_${suffix(responseId)}_${i}`;
const fileId = (p: Passage) => `${p.collection ?? ''}/${p.source}`;

export const outputText = (text: string, annotations: Annotation[] = []) => ({ type: 'output_text' as const, text, annotations, logprobs: [] as unknown[] });

export const refusalPart = (refusal: string) => ({ type: 'refusal' as const, refusal });

export function messageItem(responseId: string, text: string, status: 'in_progress' | 'completed', annotations: Annotation[] = []) {
  return { id: messageItemId(responseId), type: 'message' as const, status, role: 'assistant' as const, content: status === 'completed' ? [outputText(text, annotations)] : [] };
}

/** The message of a model that declined: one refusal part instead of text. */
export function refusalItem(responseId: string, refusal: string, status: 'in_progress' | 'completed') {
  return { id: messageItemId(responseId), type: 'message' as const, status, role: 'assistant' as const, content: status === 'completed' ? [refusalPart(refusal)] : [] };
}

export function fileSearchItem(responseId: string, s: FileSearchDone, status: 'in_progress' | 'completed') {
  return {
    id: `fs_${suffix(responseId)}`,
    type: 'file_search_call' as const,
    status,
    queries: [s.query],
    results:
      status === 'completed' && s.withResults
        ? s.passages.map((p) => ({ file_id: fileId(p), filename: p.source, score: p.score ?? null, text: p.text, attributes: { collection: p.collection ?? '', chunk: p.chunk, heading: p.heading } }))
        : null,
  };
}

/**
 * The answer's citations as OpenAI's file_citation annotations: the passage cited, and where in the text
 * (the position of its [n] marker, or the end of the text when the model cited without one).
 */
export function citationAnnotations(r: GovernedResult, s: FileSearchDone | undefined): Annotation[] {
  if (!s || !r.citations?.length) return [];
  return r.citations.map((c) => {
    const p = s.passages.find((x) => x.source === c.source && x.chunk === c.chunk);
    const at = p ? r.content.indexOf(`[${p.n}]`) : -1;
    return { type: 'file_citation' as const, file_id: p ? fileId(p) : `/${c.source}`, filename: c.source, index: at >= 0 ? at : r.content.length };
  });
}

export function functionCallItem(responseId: string, i: number, call: { id: string; name: string; arguments: string }, status: 'in_progress' | 'completed') {
  return { id: callItemId(responseId, i), type: 'function_call' as const, status, call_id: call.id, name: call.name, arguments: status === 'completed' ? call.arguments : '' };
}

/** The output items of a finished call: the search (file_search), the message (unless the model only called functions), then one item per call. */
export function outputItems(responseId: string, r: GovernedResult, search?: FileSearchDone): unknown[] {
  const calls = r.toolCalls ?? [];
  const items: unknown[] = [];
  if (search) items.push(fileSearchItem(responseId, search, 'completed'));
  if (r.refusal !== undefined) items.push(refusalItem(responseId, r.refusal, 'completed'));
  else if (r.content || !calls.length) items.push(messageItem(responseId, r.content, 'completed', citationAnnotations(r, search)));
  calls.forEach((call, i) => items.push(functionCallItem(responseId, i, call, 'completed')));
  return items;
}

/** A cut answer is `incomplete`, saying why, as OpenAI reports it. */
function endOf(r: GovernedResult): { status: Status; incomplete_details: { reason: string } | null } {
  if (r.finishReason === 'length') return { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } };
  if (r.finishReason === 'content_filter') return { status: 'incomplete', incomplete_details: { reason: 'content_filter' } };
  return { status: 'completed', incomplete_details: null };
}

export function responseUsage(r: GovernedResult) {
  return {
    input_tokens: r.usage.prompt_tokens,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: r.usage.completion_tokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: r.usage.total_tokens,
  };
}

export const inProgressResponse = (head: ResponseHead) => responseObject(head, 'in_progress');

/** The finished response, with hiraga's account of what governance did (as on chat completions). */
export function finishedResponse(head: ResponseHead, r: GovernedResult, search?: FileSearchDone) {
  const { status, incomplete_details } = endOf(r);
  return responseObject(head, status, {
    incomplete_details,
    completed_at: Math.floor(Date.now() / 1000),
    model: r.model.id,
    output: outputItems(head.id, r, search),
    usage: responseUsage(r),
    hiraga: hiragaField(r),
  });
}

/** A stream that failed after its headers: the error as OpenAI's `response.failed` carries it. */
export function failedResponse(head: ResponseHead, error: { code: string; message: string }) {
  return responseObject(head, 'failed', { error });
}

/**
 * The events of one streamed response, numbered in order (`sequence_number`), each `event: <type>` and its
 * JSON, as the official client's ResponseStream expects them.
 */
export class ResponseEvents {
  private seq = 0;
  /** The message's place among the output items: after the search's, when there was one. */
  readonly messageIndex: number;

  constructor(
    private readonly head: ResponseHead,
    private readonly search?: FileSearchDone,
  ) {
    this.messageIndex = search ? 1 : 0;
  }

  event(type: string, fields: Record<string, unknown>): string {
    return `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: this.seq++, ...fields })}\n\n`;
  }

  /** The response begun; a search hiraga ran before the call is reported whole, as the first output item. */
  started(): string {
    const response = inProgressResponse(this.head);
    let out = this.event('response.created', { response }) + this.event('response.in_progress', { response });
    if (this.search) {
      const item = fileSearchItem(this.head.id, this.search, 'completed');
      out += this.event('response.output_item.added', { output_index: 0, item: fileSearchItem(this.head.id, this.search, 'in_progress') });
      for (const phase of ['in_progress', 'searching', 'completed']) out += this.event(`response.file_search_call.${phase}`, { item_id: item.id, output_index: 0 });
      out += this.event('response.output_item.done', { output_index: 0, item });
    }
    return out;
  }

  /** The message item and its text part, opened before the first text delta. */
  messageOpened(): string {
    const item_id = messageItemId(this.head.id);
    const output_index = this.messageIndex;
    return (
      this.event('response.output_item.added', { output_index, item: messageItem(this.head.id, '', 'in_progress') }) +
      this.event('response.content_part.added', { item_id, output_index, content_index: 0, part: outputText('') })
    );
  }

  textDelta(delta: string): string {
    return this.event('response.output_text.delta', { item_id: messageItemId(this.head.id), output_index: this.messageIndex, content_index: 0, delta, logprobs: [] });
  }

  /** Closes the message item with the final text and its citations. */
  messageDone(r: GovernedResult): string {
    const item_id = messageItemId(this.head.id);
    const output_index = this.messageIndex;
    const text = r.content;
    const annotations = citationAnnotations(r, this.search);
    let out = '';
    annotations.forEach((annotation, annotation_index) => (out += this.event('response.output_text.annotation.added', { item_id, output_index, content_index: 0, annotation_index, annotation })));
    return (
      out +
      this.event('response.output_text.done', { item_id, output_index, content_index: 0, text, logprobs: [] }) +
      this.event('response.content_part.done', { item_id, output_index, content_index: 0, part: outputText(text, annotations) }) +
      this.event('response.output_item.done', { output_index, item: messageItem(this.head.id, text, 'completed', annotations) })
    );
  }

  /** The message of a model that declined, whole: its refusal part in one delta (it reaches the pipeline whole). */
  refusalMessage(r: GovernedResult): string {
    const item_id = messageItemId(this.head.id);
    const output_index = this.messageIndex;
    const refusal = r.refusal ?? '';
    return (
      this.event('response.output_item.added', { output_index, item: refusalItem(this.head.id, '', 'in_progress') }) +
      this.event('response.content_part.added', { item_id, output_index, content_index: 0, part: refusalPart('') }) +
      this.event('response.refusal.delta', { item_id, output_index, content_index: 0, delta: refusal }) +
      this.event('response.refusal.done', { item_id, output_index, content_index: 0, refusal }) +
      this.event('response.content_part.done', { item_id, output_index, content_index: 0, part: refusalPart(refusal) }) +
      this.event('response.output_item.done', { output_index, item: refusalItem(this.head.id, refusal, 'completed') })
    );
  }

  /** One function call, whole: added, its arguments in one delta, done. */
  functionCall(outputIndex: number, i: number, call: { id: string; name: string; arguments: string }): string {
    const item_id = functionCallItem(this.head.id, i, call, 'completed').id;
    return (
      this.event('response.output_item.added', { output_index: outputIndex, item: functionCallItem(this.head.id, i, call, 'in_progress') }) +
      this.event('response.function_call_arguments.delta', { item_id, output_index: outputIndex, delta: call.arguments }) +
      this.event('response.function_call_arguments.done', { item_id, output_index: outputIndex, name: call.name, arguments: call.arguments }) +
      this.event('response.output_item.done', { output_index: outputIndex, item: functionCallItem(this.head.id, i, call, 'completed') })
    );
  }

  finished(r: GovernedResult): string {
    const response = finishedResponse(this.head, r, this.search);
    const type = response.status === 'incomplete' ? 'response.incomplete' : 'response.completed';
    return this.event(type, { response });
  }

  failed(error: { code: string; message: string }): string {
    return this.event('response.failed', { response: failedResponse(this.head, error) });
  }
}
