import type { ModelConfig } from '../config/sections/models.js';
import type { ModelAccepts, ModelInfo } from './types.js';

/**
 * What each provider honours of the OpenAI generation parameters. An OpenAI-compatible server gets them all
 * (`response_format` and function calling unless its model config says `responseFormat: false` / `tools: false`);
 * node-llama-cpp has sampling and stop sequences (its penalties mean something else, and JSON grammars and
 * function calling are not wired up yet); the extractive
 * answerer is deterministic and only quotes passages.
 */
function accepts(cfg: ModelConfig): ModelAccepts {
  switch (cfg.provider) {
    case 'openai-compatible':
      return { sampling: true, penalties: true, stop: true, responseFormat: cfg.responseFormat, tools: cfg.tools, reasoning: true };
    case 'llama-cpp':
      return { sampling: true, penalties: false, stop: true, responseFormat: false, tools: false, reasoning: false };
    case 'extractive':
      return { sampling: false, penalties: false, stop: false, responseFormat: false, tools: false, reasoning: false };
  }
}

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
    ...(cfg.tenants !== undefined ? { tenants: [...cfg.tenants] } : {}),
    accepts: accepts(cfg),
  };
}
