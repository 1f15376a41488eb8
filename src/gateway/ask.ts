import type { Actor, AskResult, Confidentiality } from '../core/types.js';
import type { Embedder } from '../retrieval/embeddings.js';
import type { Searcher } from '../retrieval/search.js';
import type { Passage } from '../models/types.js';
import type { Pipeline } from './pipeline.js';
import type { GovernedResult } from './types.js';

export interface AskInput {
  question: string;
  collection: string;
  actor: Actor;
  model?: string;
  /** Passages retrieved and given to the model. */
  k?: number;
  app?: string;
  declaredLevel?: Confidentiality;
  requireReview?: boolean;
  embedder?: Embedder | null;
  signal?: AbortSignal;
}

export interface AskOutcome extends AskResult {
  governed: GovernedResult;
  passages: Passage[];
}

/**
 * The passages a grounded call is given: the best `k` of the tenant's collections for `query`, numbered from 1
 * (the model cites them as [n]). Several collections are searched each and merged by score (each collection's
 * scores are normalised to its best match).
 */
export async function retrievePassages(
  searcher: Searcher,
  query: string,
  o: { collections: string[]; tenant: string; k: number; embedder?: Embedder | null },
): Promise<Passage[]> {
  const found = await Promise.all(
    o.collections.map(async (collection) => (await searcher.search(query, { collection, tenant: o.tenant, k: o.k, embedder: o.embedder ?? null })).map((h) => ({ h, collection }))),
  );
  const hits = o.collections.length === 1 ? found[0]! : found.flat().sort((a, b) => b.h.score - a.h.score).slice(0, o.k);
  return hits.map(({ h, collection }, i) => ({ n: i + 1, source: h.source, chunk: h.chunk, heading: h.heading, text: h.text, score: h.score, collection }));
}

/** 資料QA: retrieve passages from the actor's collection, then one governed model call grounded on them. */
export async function askCollection(pipeline: Pipeline, searcher: Searcher, input: AskInput): Promise<AskOutcome> {
  const passages = await retrievePassages(searcher, input.question, { collections: [input.collection], tenant: input.actor.tenant, k: input.k ?? 5, embedder: input.embedder ?? null });
  const governed = await pipeline.run({
    actor: input.actor,
    ...(input.model ? { model: input.model } : {}),
    messages: [{ role: 'user', content: input.question }],
    passages,
    app: input.app ?? 'qa',
    collection: input.collection,
    ...(input.declaredLevel ? { declaredLevel: input.declaredLevel } : {}),
    ...(input.requireReview ? { requireReview: true } : {}),
    ...(input.signal ? { signal: input.signal } : {}),
  });
  return {
    answer: governed.content,
    abstained: governed.abstained ?? false,
    citations: (governed.citations ?? []).map((c) => ({ source: c.source, chunk: c.chunk, quote: c.quote, ...(c.heading ? { heading: c.heading } : {}) })),
    model: governed.model.id,
    governed,
    passages,
  };
}
