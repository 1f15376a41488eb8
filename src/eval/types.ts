import type { Actor, Citation } from '../core/types.js';
import type { GovernedRequest, GovernedResult } from '../gateway/types.js';
import type { ChatMessage, Passage } from '../models/types.js';
import type { ItemOf, SuiteItem, TaskType } from './suite/schema.js';

/** The governed pipeline as the harness sees it: one call in, one result out. */
export type RunFn = (req: GovernedRequest) => Promise<GovernedResult>;

/** Passages for a question over a collection (the same retrieval `ask` uses). */
export type RetrieveFn = (query: string, collection: string) => Promise<Passage[]>;

/** One model call an item needs (bias items need one per variant). */
export interface Prompt {
  messages: ChatMessage[];
  /** The question used for retrieval when the item names a collection. */
  query: string;
  label?: string;
}

/** What came back from one call, as the scorers see it. */
export interface CallOutcome {
  label?: string;
  content: string;
  abstained: boolean;
  citations: Citation[];
  passages: Passage[];
  /**
   * The pipeline did not let the output through: refused the call (guard or policy), or held the output for a
   * reviewer (reason `review`: the requester gets only a placeholder until a person approves it).
   */
  blocked?: { reason: string; message: string };
  /** The model declined through the API rather than in words (OpenAI's message.refusal, or a content_filter stop). */
  refusal?: string;
  latencyMs: number;
  promptTokens: number;
  completionTokens: number;
  /** The server reported no usage: the token counts (and the cost from them) are hiraga's estimate. */
  tokensEstimated?: boolean;
  costJpy: number;
  energyWh: number;
}

export interface JudgeVerdict {
  /** Mean judged share of rubric items met (0–1) over the repeats. */
  mean: number;
  /** max − min of the repeats' scores: how much the judge disagrees with itself. */
  spread: number;
  stdev: number;
  scores: number[];
  model: string;
}

/** A scorer's verdict on one item for one model. */
export interface ItemScore {
  correct: boolean;
  /** 0–1 (partial credit where the task has it). */
  score: number;
  abstained?: boolean;
  refused?: boolean;
  /** Did the answer cite an expected source? null when the item names none or the model abstained. */
  citationCorrect?: boolean | null;
  /** rag: answered where it should abstain, or stated what its cited passages do not support. */
  hallucinated?: boolean | null;
  /** bias: treated the variants equivalently. */
  consistent?: boolean;
  judge?: JudgeVerdict;
  /** Why, in short lines a committee can read. */
  evidence: string[];
  /** Structured details (groundedness per sentence, similarities …). */
  details?: Record<string, unknown>;
}

export interface ScoreContext {
  settings: EvalSettings;
  /** Ask the configured judge model (through the pipeline); absent when no judge is configured. */
  judge?: (messages: ChatMessage[]) => Promise<string>;
  judgeModel?: string;
}

/** How a task is asked and scored: one entry per task type in SCORERS. */
export interface Scorer<I extends SuiteItem> {
  prompts(item: I): Prompt[];
  score(item: I, calls: CallOutcome[], ctx: ScoreContext): ItemScore | Promise<ItemScore>;
}

export type ScorerTable = { [T in TaskType]: Scorer<ItemOf<T>> };

export interface EvalSettings {
  /** Groundedness: minimum bigram support of an answer sentence. */
  minSupport: number;
  /** Bias: minimum similarity of the variants' answers after the attribute is neutralised. */
  biasMinSimilarity: number;
  /** Proofread: the corrected text must stay this similar to the input. */
  proofreadMinSimilarity: number;
  judgeRepeats: number;
  maxTokens?: number;
}

export interface ExecuteDeps {
  run: RunFn;
  retrieve?: RetrieveFn;
  actor: Actor;
  settings: EvalSettings;
  judgeModel?: string;
  /** The configuration fingerprint of a model (fingerprint.ts), stamped on its results so stale ones are not reused. */
  fingerprint?: (model: string) => string;
}

/** One (model, item) result: what is cached in the store and listed in results.json. */
export interface ItemResult {
  id: string;
  task: TaskType;
  model: string;
  correct: boolean;
  score: number;
  abstained: boolean;
  refused: boolean;
  citation_correct: boolean | null;
  hallucinated: boolean | null;
  consistent: boolean | null;
  latency_ms: number;
  prompt_tokens: number;
  completion_tokens: number;
  /** Present (true) when a call's server reported no token usage: the tokens and the cost are estimates. */
  tokens_estimated?: boolean;
  cost_jpy: number;
  energy_wh: number;
  output: string;
  citations: { source: string; chunk: number }[];
  evidence: string[];
  details?: Record<string, unknown>;
  judge?: JudgeVerdict;
  /** A call failed after retries (upstream fault, timeout): counted wrong, never cached. */
  error?: { code: string; message: string };
  /** Which process produced it (queue runs). */
  worker?: string;
  /** The model and eval settings it was measured under (fingerprint.ts); a cached result with another one is run again. */
  config_sha256?: string;
}
