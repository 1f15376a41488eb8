import type { ResolvedConfig } from '../../config/load.js';
import { Redactor } from '../../gateway/redact.js';
import type { ResultsDocument } from '../report/results.js';

/** How the items of one model of a run ended: failed calls are counted wrong, but they measured nothing. */
export interface ModelFailures {
  id: string;
  items: number;
  failed: number;
  /** The first failed item's error (as recorded in results.json), or null when none failed. */
  first: { item: string; message: string } | null;
  /** Items were run, and every one of them failed: nothing was measured for this model. */
  unmeasured: boolean;
}

export function modelFailures(doc: ResultsDocument): ModelFailures[] {
  return doc.models.map((m) => {
    const bad = m.items.filter((r) => r.error);
    const first = bad[0];
    return {
      id: m.id,
      items: m.items.length,
      failed: bad.length,
      first: first ? { item: first.id, message: first.error!.message } : null,
      unmeasured: m.items.length > 0 && bad.length === m.items.length,
    };
  });
}

/** The secrets of the config a model's error could echo (API keys, passwords in URLs); the Redactor adds the usual shapes. */
export function failureRedactor(config: ResolvedConfig): Redactor {
  const secrets: string[] = [];
  for (const m of config.models) {
    const key = 'apiKey' in m ? m.apiKey : undefined;
    if (typeof key === 'string') secrets.push(key.startsWith('env:') ? (process.env[key.slice(4)] ?? '') : key);
  }
  if (config.retrieval.embeddings?.apiKey) secrets.push(config.retrieval.embeddings.apiKey);
  return new Redactor(secrets);
}

/**
 * One stderr line per model that had failed items: how many, and the first error (model and cause).
 * A model none of whose items succeeded is an error (nothing measured; its 0 % would be no result).
 */
export function failureLines(failures: ModelFailures[], redact: (text: string) => string): string[] {
  return failures
    .filter((f) => f.failed > 0)
    .map((f) => {
      const first = f.first ? `; first error (item ${f.first.item}): ${redact(f.first.message).replace(/\s*\n\s*/g, ' ')}` : '';
      return f.unmeasured
        ? `hiraga: error: model "${f.id}": all ${f.items} items failed — nothing was measured, its metrics are no result${first}\n`
        : `hiraga: warning: model "${f.id}": ${f.failed} of ${f.items} items failed (counted as wrong)${first}\n`;
    });
}
