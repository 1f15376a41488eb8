import { randomUUID } from 'node:crypto';
import { extend } from '../../core/objects.js';
import type { TokenUsage } from '../../core/types.js';
import { resolveSecret } from '../../config/load.js';
import type { ModelConfig } from '../../config/sections/models.js';
import { HiragaError } from '../../core/errors.js';
import { modelFailure, networkFailure, statusFailure } from '../failure.js';
import { groundedMessages, parseCitations } from '../grounding.js';
import { modelInfo } from '../info.js';
import type { ChatDelta, ChatMessage, ChatRequest, ChatResult, ModelInfo, ModelProvider, ToolCall, ToolDefinition } from '../types.js';
import { usageOrEstimate } from '../usage.js';
import type { ProviderDeps } from './deps.js';
import { OpenAiWire } from './openai-wire.js';

type OpenAiConfig = Extract<ModelConfig, { provider: 'openai-compatible' }>;

interface Completion {
  choices?: Array<{ message?: { content?: unknown; tool_calls?: unknown; refusal?: unknown }; finish_reason?: string | null }>;
  usage?: Partial<TokenUsage> | null;
}
/** The request body sent to the server (OpenAI's names). */
interface WireParams {
  model: string;
  messages: ChatMessage[] | WireMessage[];
  max_tokens?: number;
  max_completion_tokens?: number;
  temperature?: number;
  top_p?: number;
  seed?: number;
  presence_penalty?: number;
  frequency_penalty?: number;
  stop?: string[];
  response_format?: { type: 'json_object' } | { type: 'json_schema'; json_schema: unknown };
  tools?: Array<{ type: 'function'; function: ToolDefinition }>;
  tool_choice?: 'auto' | 'none' | 'required' | { type: 'function'; function: { name: string } };
  parallel_tool_calls?: boolean;
  reasoning_effort?: 'minimal' | 'low' | 'medium' | 'high';
}

/** A message as the OpenAI API writes it when the conversation has tool turns. */
interface WireMessage {
  role: ChatMessage['role'];
  content: string | null;
  tool_calls?: Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }>;
  tool_call_id?: string;
}

const toWireMessage = (m: ChatMessage): WireMessage => {
  const w: WireMessage = { role: m.role, content: m.content };
  if (m.toolCalls?.length) {
    w.tool_calls = m.toolCalls.map((t) => ({ id: t.id, type: 'function', function: { name: t.name, arguments: t.arguments } }));
    if (!m.content) w.content = null;
  }
  if (m.toolCallId !== undefined) w.tool_call_id = m.toolCallId;
  return w;
};

interface CompletionChunk {
  choices?: Array<{ delta?: { content?: unknown; tool_calls?: unknown; refusal?: unknown }; finish_reason?: string | null }>;
  usage?: Partial<TokenUsage> | null;
  /** A failure reported after the headers were sent. */
  error?: unknown;
}

/**
 * Any server that speaks the OpenAI Chat Completions API: vLLM, Ollama, llama.cpp server,
 * LM Studio, Azure OpenAI, domestic vendors' APIs, over a keep-alive wire client (openai-wire.ts).
 * Retries, timeouts and fallbacks are decided by src/models/resilience, which passes the signal.
 */
export class OpenAiCompatibleProvider implements ModelProvider {
  readonly info: ModelInfo;
  private wire: OpenAiWire | null = null;

  constructor(
    private readonly cfg: OpenAiConfig,
    private readonly deps: ProviderDeps,
  ) {
    this.info = modelInfo(cfg);
  }

  private get where(): string {
    return this.cfg.baseUrl;
  }

  /** Built on first use, so a missing `env:` key only fails the calls to this model. */
  private client(): OpenAiWire {
    if (this.wire) return this.wire;
    let apiKey: string | undefined;
    try {
      apiKey = resolveSecret(this.cfg.apiKey, this.deps.env);
    } catch (err) {
      throw modelFailure(this.cfg.id, 'unauthorized', `apiKey cannot be read: ${(err as Error).message}`);
    }
    this.wire = new OpenAiWire({
      model: this.cfg.id,
      baseUrl: this.cfg.baseUrl,
      headers: extend(apiKey ? { authorization: `Bearer ${apiKey}` } : {}, this.cfg.headers),
      maxResponseBytes: this.cfg.maxResponseBytes,
      keepAliveMs: this.cfg.keepAliveMs,
    });
    return this.wire;
  }

  private params(req: ChatRequest): { params: WireParams; sent: ChatMessage[] } {
    const sent = req.passages ? groundedMessages(req.messages, req.passages) : req.messages;
    const withTools = sent.some((m) => m.toolCalls?.length || m.toolCallId !== undefined);
    const params: WireParams = { model: this.cfg.model, messages: withTools ? sent.map(toWireMessage) : sent };
    const g = req.generation;
    if (req.maxTokens !== undefined) params[this.cfg.maxTokensParam ?? g?.maxTokensParam ?? 'max_tokens'] = req.maxTokens;
    if (req.temperature !== undefined) params.temperature = req.temperature;
    if (g) {
      if (g.topP !== undefined) params.top_p = g.topP;
      if (g.seed !== undefined) params.seed = g.seed;
      if (g.presencePenalty !== undefined) params.presence_penalty = g.presencePenalty;
      if (g.frequencyPenalty !== undefined) params.frequency_penalty = g.frequencyPenalty;
      if (g.stop?.length) params.stop = g.stop;
      const rf = g.responseFormat;
      if (rf?.type === 'json_object') params.response_format = { type: 'json_object' };
      else if (rf?.type === 'json_schema') params.response_format = { type: 'json_schema', json_schema: rf.jsonSchema };
      if (g.tools?.length) params.tools = g.tools.map((t) => ({ type: 'function', function: t }));
      const tc = g.toolChoice;
      if (tc !== undefined) params.tool_choice = typeof tc === 'string' ? tc : { type: 'function', function: { name: tc.name } };
      if (g.parallelToolCalls !== undefined) params.parallel_tool_calls = g.parallelToolCalls;
      if (g.reasoningEffort !== undefined) params.reasoning_effort = g.reasoningEffort;
    }
    return { params, sent };
  }

  async chat(req: ChatRequest): Promise<ChatResult> {
    const { params, sent } = this.params(req);
    let r: Completion;
    try {
      r = (await this.client().postJson('chat/completions', params, req.signal)) as Completion;
    } catch (err) {
      throw this.failure(err, req.signal);
    }
    const choice = r?.choices?.[0];
    const toolCalls = choice?.message?.tool_calls === undefined || choice.message.tool_calls === null ? undefined : this.toolCalls(choice.message.tool_calls);
    const refusal = typeof choice?.message?.refusal === 'string' && choice.message.refusal ? choice.message.refusal : undefined;
    const content = choice?.message?.content ?? (toolCalls?.length || refusal ? '' : undefined);
    if (!choice || typeof content !== 'string') {
      throw modelFailure(this.cfg.id, 'malformed_response', `malformed response from ${this.where} (no choices[0].message.content)`);
    }
    return this.result(req, sent, content, r.usage, choice.finish_reason ?? undefined, toolCalls, refusal);
  }

  async *chatStream(req: ChatRequest): AsyncIterable<ChatDelta> {
    const { params, sent } = this.params(req);
    let content = '';
    let refusal = '';
    let usage: Partial<TokenUsage> | null | undefined;
    let finish: string | undefined;
    // Tool calls come in pieces (the id and name first, the arguments in fragments), by index.
    let calls: Array<{ id: string; name: string; arguments: string }> | undefined;
    try {
      for await (const raw of this.client().postEvents('chat/completions', extend(params, { stream: true, stream_options: { include_usage: true } }), req.signal)) {
        const chunk = raw as CompletionChunk;
        // A server that fails after the headers (out of memory, a prompt too long) says so in an event of its own.
        if (chunk && typeof chunk === 'object' && 'error' in chunk && chunk.error) throw this.streamedError(chunk.error);
        if (chunk?.usage) usage = chunk.usage;
        const choice = chunk?.choices?.[0];
        if (!choice) continue;
        if (choice.finish_reason) finish = choice.finish_reason;
        const text = choice.delta?.content;
        if (typeof text === 'string' && text) {
          content += text;
          yield { type: 'text', text };
        }
        if (typeof choice.delta?.refusal === 'string') refusal += choice.delta.refusal;
        const pieces = choice.delta?.tool_calls;
        if (Array.isArray(pieces)) calls = this.addToolCallPieces(calls ?? [], pieces);
      }
    } catch (err) {
      throw this.failure(err, req.signal);
    }
    if (!finish) throw modelFailure(this.cfg.id, 'connection_lost', `stream from ${this.where} ended before the reply was complete (no finish_reason)`);
    const toolCalls = calls && this.toolCalls(calls.filter(Boolean).map((c) => ({ id: c.id, function: { name: c.name, arguments: c.arguments } })));
    yield { type: 'done', result: this.result(req, sent, content, usage, finish, toolCalls, refusal || undefined) };
  }

  /** An `{"error": …}` event in a stream: the request's fault (400) when the server says so, else the server's. */
  private streamedError(e: unknown): HiragaError {
    const o = (e && typeof e === 'object' ? e : { message: e }) as { message?: unknown; type?: unknown; code?: unknown; param?: unknown };
    const message = (typeof o.message === 'string' ? o.message : JSON.stringify(e)).replace(/\s+/g, ' ').slice(0, 300);
    const status = typeof o.code === 'number' ? o.code : Number.NaN;
    const rejected = o.type === 'invalid_request_error' || (status >= 400 && status < 500);
    if (rejected) return statusFailure(this.cfg.id, this.where, 400, message, undefined, { code: o.code, param: o.param });
    return modelFailure(this.cfg.id, 'server_error', `the model server at ${this.where} reported an error in the stream: ${message}`);
  }

  /**
   * The reply's tool calls, checked: each has a function name and its arguments as text. A call without an id
   * (some servers leave it out) gets one, since the caller's tool turn must name the call it answers.
   */
  private toolCalls(raw: unknown): ToolCall[] {
    const bad = (why: string) => modelFailure(this.cfg.id, 'malformed_response', `malformed response from ${this.where} (tool_calls: ${why})`);
    if (!Array.isArray(raw)) throw bad('not an array');
    return raw.map((t: { id?: unknown; function?: { name?: unknown; arguments?: unknown } }, i) => {
      if (!t || typeof t !== 'object') throw bad(`[${i}] is not an object`);
      if (typeof t.function?.name !== 'string' || !t.function.name) throw bad(`[${i}].function.name is missing`);
      const args = t.function.arguments ?? '';
      if (typeof args !== 'string') throw bad(`[${i}].function.arguments is not a string`);
      return { id: typeof t.id === 'string' && t.id ? t.id : `call_${randomUUID().replace(/-/g, '').slice(0, 24)}`, name: t.function.name, arguments: args };
    });
  }

  private addToolCallPieces(calls: Array<{ id: string; name: string; arguments: string }>, pieces: unknown[]): Array<{ id: string; name: string; arguments: string }> {
    for (const p of pieces as Array<{ index?: unknown; id?: unknown; function?: { name?: unknown; arguments?: unknown } }>) {
      const i = typeof p?.index === 'number' && p.index >= 0 && p.index < 128 ? p.index : calls.length;
      const c = (calls[i] ??= { id: '', name: '', arguments: '' });
      if (typeof p?.id === 'string' && p.id) c.id = p.id;
      if (typeof p?.function?.name === 'string') c.name += p.function.name;
      if (typeof p?.function?.arguments === 'string') c.arguments += p.function.arguments;
    }
    return calls;
  }

  async close(): Promise<void> {
    this.wire?.close();
    this.wire = null;
  }

  async embed(texts: string[], signal?: AbortSignal, options: { dimensions?: number } = {}): Promise<number[][]> {
    const body: Record<string, unknown> = { model: this.cfg.embeddingModel ?? this.cfg.model, input: texts, encoding_format: 'float' };
    if (options.dimensions !== undefined) body.dimensions = options.dimensions;
    try {
      const r = (await this.client().postJson('embeddings', body, signal)) as {
        data?: Array<{ index: number; embedding: unknown }>;
      };
      const data = [...(Array.isArray(r?.data) ? r.data : [])].sort((a, b) => a.index - b.index);
      if (data.length !== texts.length || data.some((d) => !Array.isArray(d.embedding))) {
        throw modelFailure(this.cfg.id, 'malformed_response', `malformed embeddings response from ${this.where} (expected ${texts.length} vectors)`);
      }
      return data.map((d) => d.embedding as number[]);
    } catch (err) {
      throw this.failure(err, signal);
    }
  }

  private result(req: ChatRequest, sent: ChatMessage[], content: string, usage: Partial<TokenUsage> | null | undefined, finish: string | undefined, toolCalls?: ToolCall[], refusal?: string): ChatResult {
    const result: ChatResult = { content, usage: usageOrEstimate(usage, sent, content || (refusal ?? '')) };
    if (finish) result.finishReason = finish;
    if (toolCalls?.length) result.toolCalls = toolCalls;
    if (refusal) result.refusal = refusal;
    if (req.passages) {
      const { citations, abstained } = parseCitations(content, req.passages);
      result.citations = citations;
      result.abstained = abstained;
    }
    return result;
  }

  /** Whatever reached us as one HiragaError naming this model and the cause. */
  private failure(err: unknown, signal: AbortSignal | undefined): HiragaError {
    if (err instanceof HiragaError && !signal?.aborted) return err;
    if (signal?.aborted || (err instanceof Error && err.name === 'AbortError')) return modelFailure(this.cfg.id, 'cancelled', 'the call was cancelled', {}, err);
    return networkFailure(this.cfg.id, this.where, err);
  }
}

export const createOpenAiCompatible = (cfg: OpenAiConfig, deps: ProviderDeps): ModelProvider => new OpenAiCompatibleProvider(cfg, deps);
