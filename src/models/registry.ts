import type { ModelConfig } from '../config/sections/models.js';
import { notFound } from '../core/errors.js';
import { createProvider, type ProviderDeps } from './providers/index.js';
import type { BackoffOptions } from './resilience/backoff.js';
import { CircuitBreaker, type BreakerOptions } from './resilience/breaker.js';
import { Semaphore } from './resilience/semaphore.js';
import type { ModelInfo, ModelProvider } from './types.js';

/** One configured model with its provider and its per-model resilience state. */
export interface ModelEntry {
  readonly config: ModelConfig;
  readonly info: ModelInfo;
  readonly provider: ModelProvider;
  readonly breaker: CircuitBreaker;
  readonly slots: Semaphore;
}

export interface ModelRegistry {
  readonly defaultId: string;
  readonly backoff: BackoffOptions;
  /** The model with this id; `not_found` listing the configured ids otherwise. */
  get(id: string): ModelEntry;
  has(id: string): boolean;
  list(): ModelInfo[];
  close(): Promise<void>;
}

export interface RegistryOptions {
  env?: NodeJS.ProcessEnv;
  breaker?: BreakerOptions;
  backoff?: BackoffOptions;
}

/** Build every configured model's provider (no network, no model loading: providers connect lazily). */
export function createRegistry(config: { models: readonly ModelConfig[]; defaultModel: string }, options: RegistryOptions = {}): ModelRegistry {
  const deps: ProviderDeps = { env: options.env ?? process.env };
  const entries = new Map<string, ModelEntry>();
  for (const cfg of config.models) {
    const provider = createProvider(cfg, deps);
    entries.set(cfg.id, { config: cfg, info: provider.info, provider, breaker: new CircuitBreaker(options.breaker), slots: new Semaphore(cfg.maxConcurrency) });
  }
  return {
    defaultId: config.defaultModel,
    backoff: options.backoff ?? {},
    get(id) {
      const e = entries.get(id);
      if (!e) throw notFound(`model "${id}" is not configured; configured models: ${[...entries.keys()].join(', ') || '(none)'}`, { reason: 'unknown_model' });
      return e;
    },
    has: (id) => entries.has(id),
    list: () => [...entries.values()].map((e) => e.info),
    async close() {
      await Promise.all([...entries.values()].map((e) => e.provider.close?.()));
    },
  };
}
