import type { ModelConfig } from '../config/sections/models.js';
import type { ModelInfo } from './types.js';

/** The trust facts of a configured model, as `models list` and policy decisions see them. */
export function modelInfo(cfg: ModelConfig): ModelInfo {
  return {
    id: cfg.id,
    provider: cfg.provider,
    origin: cfg.origin,
    hosting: cfg.hosting,
    clearance: cfg.clearance as 1 | 2 | 3,
    ...(cfg.watts !== undefined ? { watts: cfg.watts } : {}),
    priceInputPer1k: cfg.priceInputPer1k,
    priceOutputPer1k: cfg.priceOutputPer1k,
    ...(cfg.contextWindow !== undefined ? { contextWindow: cfg.contextWindow } : {}),
    fallback: [...cfg.fallback],
    ...(cfg.label !== undefined ? { label: cfg.label } : {}),
  };
}
