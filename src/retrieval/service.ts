import type { ResolvedConfig } from '../config/load.js';
import type { Store } from '../store/open.js';
import { openAiEmbedder, type Embedder } from './embeddings.js';
import { ingest, type IngestOptions, type IngestReport } from './ingest.js';
import { Searcher } from './search.js';

/** The configured embedder for the dense leg, or null (the default: lexical only). */
export async function configuredEmbedder(config: ResolvedConfig): Promise<Embedder | null> {
  const e = config.retrieval.embeddings;
  return e ? openAiEmbedder(e) : null;
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
