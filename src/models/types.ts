import type { ModelConfig } from '../config/sections/models.js';
import type { Citation, TokenUsage } from '../core/types.js';

export type { TokenUsage } from '../core/types.js';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  /** An assistant turn that called tools (function calling). */
  toolCalls?: ToolCall[];
  /** A tool turn: the result of the call with this id. */
  toolCallId?: string;
}

/** A function the model asked the caller to run; `arguments` is the JSON text the model wrote. */
export interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** A function the caller offers the model (OpenAI's `tools[].function`). */
export interface ToolDefinition {
  name: string;
  description?: string;
  parameters?: Record<string, unknown>;
  strict?: boolean;
}

/** A retrieved passage given to a model as grounding. */
export interface Passage {
  /** 1-based number the model cites as [n]. */
  n: number;
  source: string;
  chunk: number;
  heading: string;
  text: string;
  score?: number;
  /** The collection it was found in. */
  collection?: string;
}

/** Constrained output: any JSON object, or JSON that matches a schema (OpenAI's `response_format`). */
export type ResponseFormat =
  | { type: 'json_object' }
  | { type: 'json_schema'; jsonSchema: { name: string; description?: string; schema?: Record<string, unknown>; strict?: boolean } };

/**
 * The OpenAI generation parameters beyond `maxTokens` and `temperature`. Sampling hints (topP, seed, the
 * penalties) go to the providers that have them and mean nothing to a deterministic one; `stop` and
 * `responseFormat` change what the caller gets back, so a model that cannot honour them is refused
 * (see models/generation.ts and ModelInfo.accepts).
 */
export interface GenerationOptions {
  topP?: number;
  seed?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  /** Up to 4 sequences; the output ends before the first one the model would write. */
  stop?: string[];
  responseFormat?: ResponseFormat;
  /**
   * Which name the output limit goes out under: the caller's (chat's max_completion_tokens or max_tokens),
   * unless the model's config sets `maxTokensParam`. OpenAI's reasoning models take only max_completion_tokens;
   * some older servers only max_tokens.
   */
  maxTokensParam?: 'max_tokens' | 'max_completion_tokens';
  /** How hard a reasoning model should think (OpenAI's reasoning_effort); a hint, like the sampling parameters. */
  reasoningEffort?: 'minimal' | 'low' | 'medium' | 'high';
  /** Function calling: the functions offered, and whether the model may, must or must not call one. */
  tools?: ToolDefinition[];
  toolChoice?: 'auto' | 'none' | 'required' | { name: string };
  parallelToolCalls?: boolean;
}

export interface ChatRequest {
  messages: ChatMessage[];
  /** Grounding passages (資料QA / RAG). Providers render them into the prompt; `extractive` quotes from them. */
  passages?: Passage[];
  maxTokens?: number;
  temperature?: number;
  generation?: GenerationOptions;
  /** Cancels the call (client disconnect, timeout, Ctrl-C). */
  signal?: AbortSignal;
}

export interface ChatResult {
  content: string;
  usage: TokenUsage;
  /** Citations the model made to the passages ([n] markers resolved), when passages were given. */
  citations?: Citation[];
  /** True when the model declined to answer from the passages. */
  abstained?: boolean;
  finishReason?: string;
  /** The functions the model called instead of (or besides) answering. */
  toolCalls?: ToolCall[];
  /** The model declined to answer (OpenAI's `message.refusal`); `content` is then empty. */
  refusal?: string;
}

export type ChatDelta = { type: 'text'; text: string } | { type: 'done'; result: ChatResult };

/** Trust facts about a model: what a policy decision needs. */
export interface ModelInfo {
  id: string;
  provider: ModelConfig['provider'];
  origin: 'domestic' | 'foreign';
  hosting: 'on-prem' | 'domestic-cloud' | 'foreign-cloud';
  clearance: 1 | 2 | 3;
  watts?: number;
  priceInputPer1k: number;
  priceOutputPer1k: number;
  contextWindow?: number;
  fallback: string[];
  label?: string;
  /** The tenants that may use it; absent: all (see models/access.ts). */
  tenants?: string[];
  /** The output-changing parameters this model honours (from its provider, and the model's config). */
  accepts: ModelAccepts;
}

/** What a model honours of the OpenAI generation parameters (the others are accepted and mean nothing to it). */
export interface ModelAccepts {
  /** max_tokens, temperature, top_p, seed. */
  sampling: boolean;
  /** presence_penalty, frequency_penalty. */
  penalties: boolean;
  /** Output-changing: a request that sets them is refused for a model without them. */
  stop: boolean;
  responseFormat: boolean;
  /** Function calling: tools, tool_choice, and tool turns in the conversation. */
  tools: boolean;
  /** reasoning_effort: sent on; a hint that a model without it ignores. */
  reasoning: boolean;
}

/** One interface for every backend. One class per file in providers/, registered in providers/index.ts. */
export interface ModelProvider {
  readonly info: ModelInfo;
  chat(req: ChatRequest): Promise<ChatResult>;
  /** Stream text deltas; the last item is `done` with the full result and usage. */
  chatStream(req: ChatRequest): AsyncIterable<ChatDelta>;
  /** Embeddings, where the backend supports them. */
  /** `dimensions`: ask for vectors of this size (models that can shorten theirs, as OpenAI's text-embedding-3 do). */
  embed?(texts: string[], signal?: AbortSignal, options?: { dimensions?: number }): Promise<number[][]>;
  close?(): Promise<void>;
}
