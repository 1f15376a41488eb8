import type { ResolvedConfig } from '../config/load.js';
import type { Store } from '../store/open.js';
import { createGuard, type Guard } from '../guard/guard.js';
import { openAiEmbedder, type Embedder } from './embeddings.js';
import { guardedEmbedder } from './guarded-embedder.js';
import { ingest, type IngestOptions, type IngestReport } from './ingest.js';
import { Searcher } from './search.js';

/** One guard per configuration (it loads kuromoji), for the embedders built from it. */
const guards = new WeakMap<ResolvedConfig, Promise<Guard>>();

/**
 * The configured embedder for the dense leg, or null (the default: lexical only). An endpoint cleared below
 * level 3 gets texts through the guard (guarded-embedder.ts): what it may not see is masked or not sent.
 */
export async function configuredEmbedder(config: ResolvedConfig): Promise<Embedder | null> {
  const e = config.retrieval.embeddings;
  if (!e) return null;
  const inner = await openAiEmbedder(e);
  if (e.clearance >= 3) return inner;
  let guard = guards.get(config);
  if (!guard) guards.set(config, (guard = createGuard(config.guard)));
  return guardedEmbedder(inner, await guard, e.clearance);
}

export async function runIngest(config: ResolvedConfig, store: Store, paths: string[], options: Omit<IngestOptions, 'chunkChars' | 'maxFileBytes' | 'embedder'>): Promise<IngestReport> {
  return ingest(store, paths, {
    ...options,
    chunkChars: config.retrieval.chunkChars,
    maxFileBytes: config.retrieval.maxFileBytes,
    embedder: await configuredEmbedder(config),
  });
}

export async function createSearcher(config: ResolvedConfig, store: Store): Promise<{ searcher: Searcher; embedder: Embedder | null }> {
  const { k1, b } = config.retrieval;
  const searcher = await Searcher.create(store, { ...(k1 !== undefined ? { k1 } : {}), ...(b !== undefined ? { b } : {}) });
  return { searcher, embedder: await configuredEmbedder(config) };
}
