import { badInput } from '../core/errors.js';
import type { SearchHit } from '../core/types.js';
import type { Store } from '../store/open.js';
import { Analyzer } from './analysis/analyzer.js';
import { normalizeText } from './analysis/numerals.js';
import { findArticleRefs, refTerms } from './analysis/refs.js';
import { getCollection, type CollectionInfo } from './collections.js';
import { cosine, type Embedder } from './embeddings.js';
import { decodePostings } from './postings.js';
import { FIELD, scopedRefTerm, wordPairs } from './terms.js';

// TEMP experiment knobs
export const EXP = JSON.parse(process.env.HX ?? '{}') as { pair?: number; fusion?: string; prune?: number; pruneMin?: number; bk1?: number; uni?: number; head?: number; cmp?: boolean; bb?: number };

export interface SearchOptions {
  collection: string;
  tenant?: string;
  k?: number;
  /** Dense leg, fused by reciprocal-rank fusion when given and the collection has vectors. */
  embedder?: Embedder | null;
}

export interface RankingWeights {
  k1: number;
  b: number;
  /** Weight of the word (morpheme) leg after max-normalisation. */
  word: number;
  /** Weight of the character-bigram leg after max-normalisation. */
  bigram: number;
  /** Bonus for an article named in the query (第5条), and more when its law is named too. */
  ref: number;
  scopedRef: number;
}

/** Tuned on the retrieval benchmark (docs/retrieval.md): short chunks want a milder length penalty. */
export const DEFAULT_WEIGHTS: RankingWeights = { k1: 0.9, b: 0.5, word: 1, bigram: 0.8, ref: 0.3, scopedRef: 2 };

const MAX_QUERY_CHARS = 2000;
const RRF_K = 60;
const POSTINGS_CACHE_TERMS = 20_000;

interface CollectionCache {
  version: number;
  titles: string[];
  vectors: { chunkId: number; v: number[] }[] | null;
  /** LRU of decoded postings (term → triples), valid for this collection version. */
  postings: Map<string, Int32Array>;
}

/**
 * BM25 over the store's inverted index, one score per field (morphemes, character bigrams),
 * max-normalised and summed, plus statute-reference bonuses. Works the same on SQLite and PostgreSQL:
 * the store only holds the postings; all scoring happens here.
 */
export class Searcher {
  private readonly cache = new Map<number, CollectionCache>();

  constructor(
    private readonly store: Store,
    private readonly analyzer: Analyzer,
    private readonly weights: RankingWeights = DEFAULT_WEIGHTS,
  ) {}

  static async create(store: Store, weights?: Partial<RankingWeights>): Promise<Searcher> {
    return new Searcher(store, await Analyzer.load(), { ...DEFAULT_WEIGHTS, ...weights });
  }

  async search(query: string, options: SearchOptions): Promise<SearchHit[]> {
    const k = options.k ?? 10;
    if (!Number.isInteger(k) || k < 1 || k > 1000) throw badInput(`--k must be a whole number from 1 to 1000 (got ${options.k})`);
    if (typeof query !== 'string' || !query.trim()) throw badInput('the query is empty: give the words to search for');
    if (query.length > MAX_QUERY_CHARS) throw badInput(`the query is ${query.length} characters; the limit is ${MAX_QUERY_CHARS}`);
    const collection = await getCollection(this.store, options.tenant ?? 'default', options.collection);
    if (collection.chunkCount === 0) return [];
    const cache = await this.collectionCache(collection);
    const scores = await this.lexicalScores(query, collection, cache);

    let ranked = [...scores.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    if (options.embedder && cache.vectors === null) cache.vectors = await this.loadVectors(collection.id);
    if (options.embedder && cache.vectors && cache.vectors.length) {
      ranked = await this.fuseDense(query, ranked, cache.vectors, options.embedder);
    }
    const top = ranked.slice(0, k);
    if (!top.length) return [];
    const rows = await this.store.db
      .selectFrom('chunks')
      .innerJoin('documents', 'documents.id', 'chunks.document_id')
      .select(['chunks.id', 'chunks.ordinal', 'chunks.heading', 'chunks.text', 'documents.source', 'documents.title'])
      .where('chunks.id', 'in', top.map(([id]) => id))
      .execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    return top.flatMap(([id, score]) => {
      const r = byId.get(id);
      return r ? [{ source: r.source, chunk: r.ordinal, score: Math.round(score * 10_000) / 10_000, text: r.text, heading: r.heading, chunkId: r.id, title: r.title }] : [];
    });
  }

  /** chunk id → fused lexical score. */
  private async lexicalScores(query: string, c: CollectionInfo, cache: CollectionCache): Promise<Map<number, number>> {
    const X = EXP;
    const q = this.analyzer.analyzeQuery(query);
    const qtf = new Map<string, number>();
    const add = (t: string) => qtf.set(t, (qtf.get(t) ?? 0) + 1);
    for (const w of q.words) add(FIELD.word + w);
    for (const b of q.bigrams) add(FIELD.bigram + b);
    if ((X.pair ?? 0) > 0) for (const p of wordPairs(q.words)) add(FIELD.pair + p);
    if (X.head) for (const w of q.words) add('h:' + w);
    if (X.uni) for (const ch of q.normalized) if (/\p{Script=Han}/u.test(ch)) add('k:' + ch);
    if ((X.pair ?? 0) > 0 && X.cmp) for (const p of q.compounds ?? []) add(FIELD.pair + p);
    const refBonus = new Map<string, number>();
    for (const ref of findArticleRefs(q.normalized, true)) {
      for (const t of refTerms(ref)) refBonus.set(t, this.weights.ref);
      const law = titleBefore(q.normalized, ref.index, cache.titles);
      if (law) for (const t of refTerms(ref)) refBonus.set(scopedRefTerm(law, t), this.weights.scopedRef);
    }
    const terms = [...qtf.keys(), ...refBonus.keys()];
    const postings = await this.postingsFor(c.id, cache, terms);

    const N = c.chunkCount;
    const avg = { [FIELD.word]: c.totalWords / N || 1, [FIELD.pair]: c.totalWords / N || 1, 'h:': 8, 'k:': c.totalBigrams / N || 1, [FIELD.bigram]: c.totalBigrams / N || 1 } as Record<string, number>;
    if (X.prune) {
      // Very common bigrams cost the most and say the least: skip them when the query has enough rarer terms.
      const rare = [...postings].filter(([t, p]) => t.startsWith(FIELD.bigram) && p.length / 3 <= N * X.prune!).length;
      if (rare >= (X.pruneMin ?? 3)) for (const [t, p] of [...postings]) if (t.startsWith(FIELD.bigram) && p.length / 3 > N * X.prune) postings.delete(t);
    }
    // Scores accumulate in dense arrays indexed by (chunk id - min id): chunk ids of one collection are nearly
    // contiguous, and typed arrays are several times faster than Maps on large bigram postings.
    let lo = Infinity;
    let hi = -Infinity;
    for (const p of postings.values()) {
      for (let i = 0; i < p.length; i += 3) {
        const id = p[i]!;
        if (id < lo) lo = id;
        if (id > hi) hi = id;
      }
    }
    const out = new Map<number, number>();
    if (hi < lo) return out;
    const size = hi - lo + 1;
    const word = new Float64Array(size);
    const bigram = new Float64Array(size);
    const pair = new Float64Array(size);
    const head = new Float64Array(size);
    const uni = new Float64Array(size);
    const bonus = new Float64Array(size);
    const { k1, b } = this.weights;
    for (const [term, p] of postings) {
      const bonusWeight = refBonus.get(term);
      if (bonusWeight !== undefined) {
        for (let i = 0; i < p.length; i += 3) bonus[p[i]! - lo]! += bonusWeight;
        continue;
      }
      const field = term.slice(0, 2);
      const leg = field === FIELD.word ? word : field === FIELD.pair ? pair : field === 'h:' ? head : field === 'k:' ? uni : bigram;
      const df = p.length / 3;
      const idf = Math.log(1 + (N - df + 0.5) / (df + 0.5));
      const weight = idf * (qtf.get(term) ?? 1);
      const fk1 = field === FIELD.bigram && X.bk1 !== undefined ? X.bk1 : k1;
      const fb = field === FIELD.bigram && X.bb !== undefined ? X.bb : b;
      const norm = fk1 * (1 - fb);
      const lenFactor = (fk1 * fb) / avg[field]!;
      for (let i = 0; i < p.length; i += 3) {
        const tf = p[i + 1]!;
        leg[p[i]! - lo]! += (weight * tf * (fk1 + 1)) / (tf + norm + lenFactor * p[i + 2]!);
      }
    }
    let maxW = 0;
    let maxB = 0;
    let maxP = 0;
    let maxH = 0;
    let maxU = 0;
    for (let i = 0; i < size; i++) {
      if (word[i]! > maxW) maxW = word[i]!;
      if (bigram[i]! > maxB) maxB = bigram[i]!;
      if (pair[i]! > maxP) maxP = pair[i]!;
      if (head[i]! > maxH) maxH = head[i]!;
      if (uni[i]! > maxU) maxU = uni[i]!;
    }
    const wU = maxU ? (X.uni ?? 0) / maxU : 0;
    const wH = maxH ? (X.head ?? 0) / maxH : 0;
    let wW = maxW ? this.weights.word / maxW : 0;
    let wB = maxB ? this.weights.bigram / maxB : 0;
    let wP = maxP ? (X.pair ?? 0) / maxP : 0;
    if (X.fusion === 'raw') {
      wW = this.weights.word;
      wB = this.weights.bigram;
      wP = X.pair ?? 0;
    }
    for (let i = 0; i < size; i++) {
      const v = word[i]! * wW + bigram[i]! * wB + pair[i]! * wP + head[i]! * wH + uni[i]! * wU + bonus[i]! * (X.fusion === 'raw' ? Math.max(maxW, 1) : 1);
      if (v > 0) out.set(i + lo, v);
    }
    return out;
  }

  /** Decoded postings for the query terms; recently used ones come from a per-collection cache. */
  private async postingsFor(collectionId: number, cache: CollectionCache, terms: string[]): Promise<Map<string, Int32Array>> {
    const out = new Map<string, Int32Array>();
    const missing: string[] = [];
    for (const t of terms) {
      const hit = cache.postings.get(t);
      if (hit) {
        cache.postings.delete(t); // refresh LRU position
        cache.postings.set(t, hit);
        out.set(t, hit);
      } else missing.push(t);
    }
    if (missing.length) {
      const rows = await this.store.db.selectFrom('postings').select(['term', 'data']).where('collection_id', '=', collectionId).where('term', 'in', missing).execute();
      for (const row of rows) {
        const p = decodePostings(row.data).slice();
        out.set(row.term, p);
        cache.postings.set(row.term, p);
      }
      while (cache.postings.size > POSTINGS_CACHE_TERMS) cache.postings.delete(cache.postings.keys().next().value!);
    }
    return out;
  }

  private async fuseDense(query: string, lexical: [number, number][], vectors: { chunkId: number; v: number[] }[], embedder: Embedder): Promise<[number, number][]> {
    const [qv] = await embedder.embed([query]);
    const dense = vectors.map(({ chunkId, v }) => [chunkId, cosine(qv!, v)] as [number, number]).sort((a, b) => b[1] - a[1]).slice(0, 200);
    const fused = new Map<number, number>();
    lexical.slice(0, 200).forEach(([id], rank) => fused.set(id, (fused.get(id) ?? 0) + 1 / (RRF_K + rank + 1)));
    dense.forEach(([id], rank) => fused.set(id, (fused.get(id) ?? 0) + 1 / (RRF_K + rank + 1)));
    return [...fused.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  }

  private async collectionCache(c: CollectionInfo): Promise<CollectionCache> {
    const hit = this.cache.get(c.id);
    if (hit && hit.version === c.version) return hit;
    const rows = await this.store.db.selectFrom('documents').select('title').distinct().where('collection_id', '=', c.id).execute();
    const titles = rows.map((r) => normalizeText(r.title)).sort((a, b) => b.length - a.length);
    const entry: CollectionCache = { version: c.version, titles, vectors: null, postings: new Map() };
    this.cache.set(c.id, entry);
    return entry;
  }

  private async loadVectors(collectionId: number): Promise<{ chunkId: number; v: number[] }[]> {
    const rows = await this.store.db.selectFrom('chunks').select(['id', 'embedding']).where('collection_id', '=', collectionId).where('embedding', 'is not', null).execute();
    return rows.map((r) => ({ chunkId: r.id, v: JSON.parse(r.embedding!) as number[] }));
  }
}

/** The longest document title that ends right before a reference ("金融商品取引法第5条" → 金融商品取引法). */
function titleBefore(normalizedQuery: string, index: number, titles: string[]): string | null {
  const before = normalizedQuery.slice(0, index).replace(/[\s、,の]+$/u, '');
  for (const t of titles) if (t && before.endsWith(t)) return t;
  return null;
}
