import type { ResolvedConfig } from '../config/load.js';
import type { AuditLog } from '../audit/index.js';
import type { ReviewQueue } from '../review/index.js';
import type { ModelRegistry } from '../models/registry.js';
import type { Embedder } from '../retrieval/embeddings.js';
import type { Searcher } from '../retrieval/search.js';
import type { Store } from '../store/open.js';
import type { JobStore } from './jobs.js';
import type { GuardPort, Pipeline } from './pipeline.js';
import type { GovernedDelta, GovernedRequest, GovernedResult } from './types.js';
import type { UsageLedger } from './usage.js';
import type { Budgets } from './limits/budget.js';

/** The lead's Pipeline as the routes use it. */
export interface GovernedPipeline {
  run(req: GovernedRequest): Promise<GovernedResult>;
  stream(req: GovernedRequest): AsyncIterable<GovernedDelta>;
}

/**
 * Everything the HTTP routes call. Built once per process from the config (see compose.ts); the
 * routes never construct services themselves, so tests and the bench run the same wiring.
 */
export interface GatewayServices {
  config: ResolvedConfig;
  store: Store;
  pipeline: Pipeline;
  models: ModelRegistry;
  guard: GuardPort;
  audit: AuditLog;
  review: ReviewQueue;
  usage: UsageLedger;
  /** Monthly spending limits per tenant (config `budgets`). */
  budgets: Budgets;
  jobs: JobStore;
  retrieval(): Promise<{ searcher: Searcher; embedder: Embedder | null }>;
  close(): Promise<void>;
}
