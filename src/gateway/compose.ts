import type { ResolvedConfig } from '../config/load.js';
import { createAuditLog } from '../audit/index.js';
import { createGuard } from '../guard/guard.js';
import { createRegistry } from '../models/registry.js';
import { modelPort } from '../models/port.js';
import { createSearcher } from '../retrieval/service.js';
import { createReviewQueue } from '../review/index.js';
import { openStore, type Store } from '../store/open.js';
import { guardPort } from './guard-port.js';
import { JobStore } from './jobs.js';
import type { Logger } from './log.js';
import { Pipeline, type PipelineDeps } from './pipeline.js';
import { recordUsage } from './governed.js';
import type { GovernedDelta, GovernedRequest, GovernedResult } from './types.js';
import { reviewPort } from './review-port.js';
import type { GatewayServices } from './services.js';
import { UsageLedger, type UsageEntry } from './usage.js';
import { Budgets } from './limits/budget.js';


/**
 * The pipeline as the gateway runs it: every finished call also writes its usage row (buffered) and
 * reaches `onResult` (metrics) — whichever route or app made it.
 */
class AccountedPipeline extends Pipeline {
  constructor(
    deps: PipelineDeps,
    private readonly onResult: (req: GovernedRequest, r: GovernedResult) => void,
  ) {
    super(deps);
  }
  override async run(req: GovernedRequest): Promise<GovernedResult> {
    const r = await super.run(req);
    this.onResult(req, r);
    return r;
  }
  override async *stream(req: GovernedRequest): AsyncGenerator<GovernedDelta> {
    for await (const d of super.stream(req)) {
      if (d.type === 'done') this.onResult(req, d.result);
      yield d;
    }
  }
}

/** Build every service the gateway uses from the config: one store, one guard, one registry, one pipeline. */
export async function composeServices(
  config: ResolvedConfig,
  options: {
    logger?: Logger;
    store?: Store;
    poolSize?: number;
    onResult?: (req: GovernedRequest, r: GovernedResult) => void;
    /** Every usage record as it is made (governed calls and embeddings): the gateway's token limits count them. */
    onUsage?: (e: UsageEntry) => void;
  } = {},
): Promise<GatewayServices> {
  const store = options.store ?? (await openStore(config.store, { poolSize: options.poolSize ?? 20, backgroundCheckpoint: true }));
  const guard = guardPort(await createGuard(config.guard));
  const audit = createAuditLog(store, config);
  const review = createReviewQueue(store, audit, { allowSelfReview: config.review.allowSelfReview });
  const models = createRegistry(config);
  const usage = new UsageLedger(store, {
    onError: (err) => options.logger?.error({ err: (err as Error).message }, 'usage records could not be written'),
    onRecord: (e) => {
      budgets.record(e.tenant, e.costJpy, e.usage.total_tokens);
      options.onUsage?.(e);
    },
  });
  const budgets = new Budgets(config.budgets, usage, { onError: (err) => options.logger?.warn({ err: (err as Error).message }, 'budgets: the month’s spend could not be re-read; the last figures stay') });
  budgets.start();
  const pipeline = new AccountedPipeline({ config, guard, models: modelPort(models), audit, review: reviewPort(review), ...(budgets.enabled ? { budgets } : {}) }, (req, r) => {
    recordUsage(usage, req, r);
    options.onResult?.(req, r);
  });
  let retrieval: ReturnType<typeof createSearcher> | null = null;
  return {
    config,
    store,
    pipeline,
    models,
    guard,
    audit,
    review,
    usage,
    budgets,
    jobs: new JobStore(store),
    retrieval: () => (retrieval ??= createSearcher(config, store)),
    async close() {
      budgets.close();
      await usage.close();
      await audit.close();
      await models.close();
      if (!options.store) await store.close();
    },
  };
}
