import OpenAI, { APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { resolveSecret } from '../../config/load.js';
import type { ModelConfig } from '../../config/sections/models.js';
import { HiragaError } from '../../core/errors.js';
import { modelFailure, networkFailure, parseRetryAfter, statusFailure } from '../failure.js';
import { groundedMessages, parseCitations } from '../grounding.js';
import { modelInfo } from '../info.js';
import type { ChatDelta, ChatRequest, ChatResult, ModelInfo, ModelProvider } from '../types.js';
import { usageOrEstimate } from '../usage.js';
import type { ProviderDeps } from './deps.js';
import { createHttpFetch, type HttpFetch } from './http-fetch.js';

type OpenAiConfig = Extract<ModelConfig, { provider: 'openai-compatible' }>;

/**
 * Any server that speaks the OpenAI Chat Completions API: vLLM, Ollama, llama.cpp server,
 * LM Studio, Azure OpenAI, domestic vendors' APIs. Uses the official `openai` client with its own
 * retries off: retries, timeouts and fallbacks are decided by src/models/resilience.
 */
export class OpenAiCompatibleProvider implements ModelProvider {
  readonly info: ModelInfo;
  private client: OpenAI | null = null;
  /** One keep-alive connection pool per model, shared by every call (unless a test passes its own fetch). */
  private http: HttpFetch | null = null;

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
  private getClient(): OpenAI {
    if (this.client) return this.client;
    let apiKey: string | undefined;
    try {
      apiKey = resolveSecret(this.cfg.apiKey, this.deps.env);
    } catch (err) {
      throw modelFailure(this.cfg.id, 'unauthorized', `apiKey cannot be read: ${(err as Error).message}`);
    }
    this.client = new OpenAI({
      baseURL: this.cfg.baseUrl,
      apiKey: apiKey ?? 'no-key',
      defaultHeaders: this.cfg.headers,
      timeout: this.cfg.timeoutMs,
      maxRetries: 0,
      // Failures are reported once, as a HiragaError naming the model; the client must not print its own.
      logLevel: 'off',
      fetch: this.deps.fetch ?? (this.http ??= createHttpFetch()).fetch,
    });
    return this.client;
  }

  private params(req: ChatRequest) {
    const messages = (req.passages?.length ? groundedMessages(req.messages, req.passages) : req.messages) as ChatCompletionMessageParam[];
    return {
      model: this.cfg.model,
      messages,
      ...(req.maxTokens !== undefined ? { max_tokens: req.maxTokens } : {}),
      ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
    };
  }

  async chat(req: ChatRequest): Promise<ChatResult> {
    const client = this.getClient();
    const params = this.params(req);
    let r: OpenAI.Chat.Completions.ChatCompletion;
    try {
      r = await client.chat.completions.create(params, { signal: req.signal ?? null });
    } catch (err) {
      throw this.failure(err);
    }
    const choice = r?.choices?.[0];
    if (!choice || typeof choice.message?.content !== 'string') {
      throw modelFailure(this.cfg.id, 'malformed_response', `malformed response from ${this.where} (no choices[0].message.content)`);
    }
    return this.result(req, params.messages as never, choice.message.content, r.usage, choice.finish_reason ?? undefined);
  }

  async *chatStream(req: ChatRequest): AsyncIterable<ChatDelta> {
    const client = this.getClient();
    const params = this.params(req);
    let content = '';
    let usage: OpenAI.CompletionUsage | undefined;
    let finish: string | undefined;
    try {
      const stream = await client.chat.completions.create(
        { ...params, stream: true, stream_options: { include_usage: true } },
        { signal: req.signal ?? null },
      );
      for await (const chunk of stream) {
        if (chunk.usage) usage = chunk.usage;
        const choice = chunk.choices?.[0];
        if (!choice) continue;
        if (choice.finish_reason) finish = choice.finish_reason;
        const text = choice.delta?.content;
        if (text) {
          content += text;
          yield { type: 'text', text };
        }
      }
    } catch (err) {
      throw this.failure(err);
    }
    if (!finish) throw modelFailure(this.cfg.id, 'connection_lost', `stream from ${this.where} ended before the reply was complete (no finish_reason)`);
    yield { type: 'done', result: this.result(req, params.messages as never, content, usage, finish) };
  }

  async close(): Promise<void> {
    this.http?.close();
    this.http = null;
    this.client = null;
  }

  async embed(texts: string[], signal?: AbortSignal): Promise<number[][]> {
    const client = this.getClient();
    try {
      const r = await client.embeddings.create({ model: this.cfg.embeddingModel ?? this.cfg.model, input: texts, encoding_format: 'float' }, { signal: signal ?? null });
      const data = [...(r?.data ?? [])].sort((a, b) => a.index - b.index);
      if (data.length !== texts.length || data.some((d) => !Array.isArray(d.embedding))) {
        throw modelFailure(this.cfg.id, 'malformed_response', `malformed embeddings response from ${this.where} (expected ${texts.length} vectors)`);
      }
      return data.map((d) => d.embedding);
    } catch (err) {
      throw this.failure(err);
    }
  }

  private result(req: ChatRequest, sent: { role: 'user' | 'system' | 'assistant'; content: string }[], content: string, usage: OpenAI.CompletionUsage | null | undefined, finish: string | undefined): ChatResult {
    const result: ChatResult = { content, usage: usageOrEstimate(usage, sent, content) };
    if (finish) result.finishReason = finish;
    if (req.passages?.length) {
      const { citations, abstained } = parseCitations(content, req.passages);
      result.citations = citations;
      result.abstained = abstained;
    }
    return result;
  }

  /** Turn whatever the client threw into one HiragaError naming this model and the cause. */
  private failure(err: unknown): HiragaError {
    if (err instanceof HiragaError) return err;
    const id = this.cfg.id;
    if (err instanceof APIUserAbortError) return modelFailure(id, 'cancelled', 'the call was cancelled', {}, err);
    if (err instanceof APIConnectionTimeoutError) return modelFailure(id, 'timeout', `no response from ${this.where} within ${this.cfg.timeoutMs} ms (timeout)`, {}, err);
    if (err instanceof APIError && typeof err.status === 'number') {
      const body = (err.error as { message?: string } | undefined)?.message ?? err.message;
      return statusFailure(id, this.where, err.status, body, parseRetryAfter(err.headers));
    }
    if (err instanceof Error && err.name === 'AbortError') return modelFailure(id, 'cancelled', 'the call was cancelled', {}, err);
    return networkFailure(id, this.where, err instanceof APIError ? (err.cause ?? err) : err);
  }
}

export const createOpenAiCompatible = (cfg: OpenAiConfig, deps: ProviderDeps): ModelProvider => new OpenAiCompatibleProvider(cfg, deps);
