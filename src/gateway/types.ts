import type { Actor, Citation, Confidentiality, TokenUsage } from '../core/types.js';
import type { GuardFlag, FindingType } from '../guard/types.js';
import type { ChatMessage, GenerationOptions, ModelInfo, Passage, ToolCall } from '../models/types.js';

/** One governed model call: what every entry point (CLI chat/ask, apps, HTTP, eval) sends to the pipeline. */
export interface GovernedRequest {
  actor: Actor;
  /** Model id; default: config.defaultModel. */
  model?: string;
  messages: ChatMessage[];
  /** Retrieved passages (資料QA); guarded like the messages. */
  passages?: Passage[];
  app?: string;
  collection?: string;
  /** A level the user declared (raises the computed level). */
  declaredLevel?: Confidentiality;
  /** The app or caller requires human review before release. */
  requireReview?: boolean;
  /**
   * 'test': a trial run that is not real work (the app builder's test pane). Still governed and audited;
   * the audit event says so (detail.purpose) and usage keeps it apart (app "<id> (test)").
   */
  purpose?: 'test';
  maxTokens?: number;
  temperature?: number;
  /** top_p, seed, penalties, stop, response_format (OpenAI's names); refused with a 400 when the model cannot honour stop or response_format. */
  generation?: GenerationOptions;
  signal?: AbortSignal;
  /**
   * The caller's admission (rate limits) when it is still being decided: the pipeline guards the
   * request meanwhile and awaits it before the first side effect (the audit event of a policy block,
   * the model call). Rejects with the 429.
   */
  admission?: Promise<void>;
}

export interface GovernedResult {
  model: ModelInfo;
  content: string;
  /** The functions the model called (placeholders restored); withheld, like the text, while a review is pending. */
  toolCalls?: ToolCall[];
  /** The model declined to answer (OpenAI's message.refusal; content is then empty); withheld while a review is pending. */
  refusal?: string;
  /** Why the model stopped: 'length' when max_tokens cut it, 'tool_calls' when it called functions. */
  finishReason?: 'stop' | 'length' | 'tool_calls' | 'content_filter';
  usage: TokenUsage;
  citations?: Citation[];
  abstained?: boolean;
  confidentiality: Confidentiality;
  /** allow | mask (the policy outcome for this call). */
  policy: 'allow' | 'mask';
  masked: { type: FindingType; placeholder: string }[];
  flags: GuardFlag[];
  /** Present when the output waits for a reviewer: content is withheld from the requester until approved. */
  review?: { id: number; status: 'pending' | 'approved' | 'rejected' };
  auditId: number;
  costJpy: number;
  energyWh: number;
  latencyMs: number;
}

/** Text deltas name the model writing them (after a fallback, not the one asked for). */
export type GovernedDelta = { type: 'text'; text: string; model: string } | { type: 'done'; result: GovernedResult };
