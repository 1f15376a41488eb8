import type { ModelConfig } from '../config/sections/models.js';
import type { Citation, TokenUsage } from '../core/types.js';

export type { TokenUsage } from '../core/types.js';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
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
}

export interface ChatRequest {
  messages: ChatMessage[];
  /** Grounding passages (資料QA / RAG). Providers render them into the prompt; `extractive` quotes from them. */
  passages?: Passage[];
  maxTokens?: number;
  temperature?: number;
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
}

/** One interface for every backend. One class per file in providers/, registered in providers/index.ts. */
export interface ModelProvider {
  readonly info: ModelInfo;
  chat(req: ChatRequest): Promise<ChatResult>;
  /** Stream text deltas; the last item is `done` with the full result and usage. */
  chatStream(req: ChatRequest): AsyncIterable<ChatDelta>;
  /** Embeddings, where the backend supports them. */
  embed?(texts: string[], signal?: AbortSignal): Promise<number[][]>;
  close?(): Promise<void>;
}
