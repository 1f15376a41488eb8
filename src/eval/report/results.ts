import type { ModelInfo } from '../../models/types.js';
import { computeMetrics, taskBreakdown, type ModelMetrics, type TaskBreakdown } from '../metrics.js';
import type { SuiteItem } from '../suite/schema.js';
import type { ItemResult } from '../types.js';

export interface RunMetadata {
  started_at: string;
  finished_at: string;
  hiraga_version: string;
  node: string;
  host: string;
  concurrency: number;
  tenant: string;
  judge: { model: string; repeats: number } | null;
  queue: boolean;
  total: number;
  cached: number;
  executed: number;
  failed: number;
  interrupted: boolean;
  config: string | null;
  /**
   * Results stored under another configuration than this run's (config_sha256): in queue mode, a worker whose
   * model settings differ. Present only when there are some; the next run reruns those items.
   */
  config_mismatch?: number;
}

export interface ModelReport {
  id: string;
  origin: ModelInfo['origin'] | 'unknown';
  hosting: ModelInfo['hosting'] | 'unknown';
  provider: string;
  metrics: ModelMetrics;
  /** SHA-256 of the model's and the eval's settings the results were measured under (fingerprint.ts). */
  config_sha256?: string;
  /** Items whose token counts are estimates (the server reported no usage): tokens/s and cost rest on them. */
  tokens_estimated: number;
  /** Items whose call failed (upstream fault, timeout): counted wrong, measured nothing. */
  failed: number;
  tasks: TaskBreakdown[];
  items: ItemResult[];
}

/** The `results.json` document (the outside contract: suite{path,sha256,items}, models[{id,origin,hosting,metrics,items}]). */
export interface ResultsDocument {
  suite: { path: string; sha256: string; items: number; plain_sha256: string; sealed: boolean };
  run: RunMetadata;
  models: ModelReport[];
}

export interface BuildInput {
  suite: { path: string; fileSha256: string; sha256: string; sealed: boolean; items: SuiteItem[] };
  results: Map<string, ItemResult[]>;
  models: Map<string, Pick<ModelInfo, 'origin' | 'hosting' | 'provider'>>;
  run: RunMetadata;
  fingerprint?: (model: string) => string;
}

export function buildResults(input: BuildInput): ResultsDocument {
  const byId = new Map(input.suite.items.map((i) => [i.id, i]));
  return {
    suite: { path: input.suite.path, sha256: input.suite.fileSha256, items: input.suite.items.length, plain_sha256: input.suite.sha256, sealed: input.suite.sealed },
    run: input.run,
    models: [...input.results.entries()].map(([id, items]) => {
      const info = input.models.get(id);
      return {
        id,
        origin: info?.origin ?? 'unknown',
        hosting: info?.hosting ?? 'unknown',
        provider: info?.provider ?? 'unknown',
        ...(input.fingerprint ? { config_sha256: input.fingerprint(id) } : {}),
        metrics: computeMetrics(items, byId),
        failed: items.filter((r) => r.error).length,
        tokens_estimated: items.filter((r) => r.tokens_estimated).length,
        tasks: taskBreakdown(items),
        items,
      };
    }),
  };
}
