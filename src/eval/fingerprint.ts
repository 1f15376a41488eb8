import crypto from 'node:crypto';
import type { ResolvedConfig } from '../config/load.js';

/**
 * Model settings that change neither what a call returns nor what it is reported to cost: secrets and
 * operational limits. Every other field (provider, baseUrl, model, prices, watts, fallback…) is part of the
 * fingerprint, so a field added later invalidates cached results rather than silently keeping them.
 */
const OPERATIONAL = new Set(['apiKey', 'headers', 'label', 'timeoutMs', 'maxConcurrency', 'retries', 'keepAliveMs', 'maxResponseBytes', 'tenants']);

const stable = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(stable)
    : v && typeof v === 'object'
      ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, stable((v as Record<string, unknown>)[k])]))
      : v;

function modelSettings(config: ResolvedConfig, id: string): Record<string, unknown> | null {
  const m = config.models.find((x) => x.id === id);
  if (!m) return null;
  return Object.fromEntries(Object.entries(m).filter(([k]) => !OPERATIONAL.has(k)));
}

/**
 * What a cached (model, item) result depends on besides the suite: the model's settings (and its fallbacks'),
 * and the eval settings that shape prompts and scores (tenant, passages, thresholds, maxTokens, judge).
 * A result stored under another fingerprint is not reused: it was measured on something else.
 */
export function configFingerprint(config: ResolvedConfig, modelId: string): string {
  const model = modelSettings(config, modelId);
  const fallback = Array.isArray(model?.fallback) ? (model.fallback as string[]).map((f) => ({ id: f, settings: modelSettings(config, f) })) : [];
  const e = config.eval;
  const doc = {
    model,
    fallback,
    eval: {
      tenant: e.tenant,
      passages: e.passages,
      minSupport: e.minSupport,
      biasMinSimilarity: e.biasMinSimilarity,
      proofreadMinSimilarity: e.proofreadMinSimilarity,
      maxTokens: e.maxTokens ?? null,
      judge: e.judge ? { model: e.judge.model, repeats: e.judge.repeats, settings: modelSettings(config, e.judge.model) } : null,
    },
  };
  return crypto.createHash('sha256').update(JSON.stringify(stable(doc))).digest('hex');
}

/** One fingerprint per model id, computed once. */
export function fingerprints(config: ResolvedConfig): (modelId: string) => string {
  const memo = new Map<string, string>();
  return (id) => {
    let f = memo.get(id);
    if (f === undefined) memo.set(id, (f = configFingerprint(config, id)));
    return f;
  };
}
