import type { ModelConfig, ProviderName } from '../../config/sections/models.js';
import type { ModelProvider } from '../types.js';
import type { ProviderDeps } from './deps.js';
import { createExtractive } from './extractive.js';
import { createLlamaCpp } from './llama-cpp.js';
import { createOpenAiCompatible } from './openai-compatible.js';

export type { ProviderDeps } from './deps.js';

type Factory<P extends ProviderName> = (cfg: Extract<ModelConfig, { provider: P }>, deps: ProviderDeps) => ModelProvider;

/** Every model provider. Adding a provider to the config schema without an entry here fails to compile. */
export const PROVIDERS: { [P in ProviderName]: Factory<P> } = {
  'openai-compatible': createOpenAiCompatible,
  'llama-cpp': createLlamaCpp,
  extractive: createExtractive,
};

export function createProvider(cfg: ModelConfig, deps: ProviderDeps): ModelProvider {
  return (PROVIDERS[cfg.provider] as Factory<typeof cfg.provider>)(cfg as never, deps);
}
