import { badInput } from '../core/errors.js';
import type { SearchHit } from '../core/types.js';
import type { Store } from '../store/open.js';
import { Analyzer } from './analysis/analyzer.js';
import { normalizeText } from './analysis/numerals.js';
import { ABBREVIATION_SHARE, lawMatch, lawNamedAt, lawTextBefore } from './analysis/law-names.js';
import { findArticleRefs, refTerms } from './analysis/refs.js';
import { getCollection, type CollectionInfo } from './collections.js';
import { cosine, type Embedder } from './embeddings.js';
import { decodePostings } from './postings.js';
import { FIELD, phraseTerms, scopedRefTerm } from './terms.js';

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
  /** Weight of the phrase leg (adjacent content-word pairs and noun compounds); 0 turns it off. */
  phrase?: number;
  /** Weight of the heading leg (query words in the title / chapter / article caption); 0 turns it off. */
  heading?: number;
}

/** Tuned on the retrieval benchmark (docs/retrieval.md): short chunks want a milder length penalty. */
export const DEFAULT_WEIGHTS: RankingWeights = { k1: 0.9, b: 0.5, word: 1, bigram: 0.8, ref: 0.3, scopedRef: 2, phrase: 0.3, heading: 0.4 };

const MAX_QUERY_CHARS = 2000;
const RRF_K = 60;
const POSTINGS_CACHE_TERMS = 20_000;
/** Terms in more than this share of the chunks (第, 条, する, b:第1 in statutes) are skipped when the query has enough rarer ones. */
const COMMON_DF_SHARE = 0.5;
const MIN_RARE_TERMS = 3;
const DF_CACHE_TERMS = 200_000;
/** Legs scored by BM25 (the others are bonuses). */
const BM25_FIELDS = [FIELD.word, FIELD.bigram, FIELD.pair, FIELD.heading] as const;

interface CollectionCache {
  version: number;
  titles: string[];
  /** Normalized titles and file names (without folder and extension) → the title they stand for. */
  aliases: Map<string, string>;
  vectors: { chunkId: number; v: number[] }[] | null;
  /** LRU of decoded postings (term → triples), valid for this collection version. */
  postings: Map<string, Int32Array>;
  /** Document frequency of every term fetched so far (outlives the postings LRU): lets common terms be skipped unread. */
  df: Map<string, number>;
}

/**
 * BM25 over the store's inverted index, one score per field (morphemes, character bigrams, phrases, heading words),
 * max-normalised and summed with weights, plus statute-reference bonuses. Works the same on SQLite and PostgreSQL:
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
    // Dense fusion looks at the lexical top 200; otherwise only the top k is needed.
    let ranked = await this.lexicalScores(query, collection, cache, options.embedder ? Math.max(k, 200) : k);
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

  /** The best `limit` chunks by fused lexical score: [chunk id, score], score descending, then chunk id ascending. */
  private async lexicalScores(query: string, c: CollectionInfo, cache: CollectionCache, limit: number): Promise<[number, number][]> {
    const w = this.weights;
    const q = this.analyzer.analyzeQuery(query);
    const qtf = new Map<string, number>();
    const add = (t: string) => qtf.set(t, (qtf.get(t) ?? 0) + 1);
    for (const word of q.words) add(FIELD.word + word);
    for (const v of q.variants ?? []) add(FIELD.word + v);
    for (const b of q.bigrams) add(FIELD.bigram + b);
    if (w.phrase) for (const p of phraseTerms(q.words, q.compounds)) add(FIELD.pair + p);
    if (w.heading) for (const word of q.words) add(FIELD.heading + word);
    const refBonus = new Map<string, number>();
    for (const ref of findArticleRefs(q.normalized, true)) {
      // 附則第3条: the supplementary provisions' articles carry no reference terms, and the main 第3条 is not it.
      if (ref.supplementary) continue;
      for (const t of refTerms(ref)) refBonus.set(t, w.ref);
      const law = titleBefore(q.normalized, ref.index, cache);
      if (law) for (const t of refTerms(ref)) refBonus.set(scopedRefTerm(law, t), w.scopedRef);
    }
    const N = c.chunkCount;
    // Very common terms cost the most postings work and add almost nothing (idf ≈ 0): skip those already known
    // to be common when enough rarer word/bigram terms remain.
    const commonDf = N * COMMON_DF_SHARE;
    const isCommon = (t: string) => (cache.df.get(t) ?? 0) > commonDf;
    const enoughRare = (ts: string[]) => ts.filter((t) => (t.startsWith(FIELD.word) || t.startsWith(FIELD.bigram)) && !isCommon(t)).length >= MIN_RARE_TERMS;
    let terms = [...qtf.keys()];
    if (enoughRare(terms)) terms = terms.filter((t) => !isCommon(t));
    const postings = await this.postingsFor(c.id, cache, [...terms, ...refBonus.keys()]);
    // Terms fetched for the first time have just had their df learnt: the same rule again, on what was read.
    if (enoughRare(terms)) for (const t of terms) if (isCommon(t)) postings.delete(t);

    const avg: Record<string, number> = {
      [FIELD.word]: c.totalWords / N || 1,
      [FIELD.pair]: c.totalWords / N || 1,
      [FIELD.bigram]: c.totalBigrams / N || 1,
      [FIELD.heading]: 1,
    };
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
    if (hi < lo) return [];
    const size = hi - lo + 1;
    const legs = new Map<string, Float64Array>(BM25_FIELDS.map((f) => [f, new Float64Array(size)]));
    const bonus = new Float64Array(size);
    const { k1, b } = w;
    for (const [term, p] of postings) {
      const bonusWeight = refBonus.get(term);
      if (bonusWeight !== undefined) {
        for (let i = 0; i < p.length; i += 3) bonus[p[i]! - lo]! += bonusWeight;
        continue;
      }
      const field = term.slice(0, 2);
      const leg = legs.get(field);
      if (!leg) continue;
      const df = p.length / 3;
      const idf = Math.log(1 + (N - df + 0.5) / (df + 0.5));
      const weight = idf * (qtf.get(term) ?? 1);
      // Headings are a few words long: no length normalisation there.
      const fb = field === FIELD.heading ? 0 : b;
      const norm = k1 * (1 - fb);
      const lenFactor = (k1 * fb) / avg[field]!;
      for (let i = 0; i < p.length; i += 3) {
        const tf = p[i + 1]!;
        leg[p[i]! - lo]! += (weight * tf * (k1 + 1)) / (tf + norm + lenFactor * p[i + 2]!);
      }
    }
    const legWeight: Record<string, number> = { [FIELD.word]: w.word, [FIELD.bigram]: w.bigram, [FIELD.pair]: w.phrase ?? 0, [FIELD.heading]: w.heading ?? 0 };
    const total = bonus;
    for (const [field, leg] of legs) {
      let max = 0;
      for (let i = 0; i < size; i++) if (leg[i]! > max) max = leg[i]!;
      if (!max || !legWeight[field]) continue;
      const f = legWeight[field]! / max;
      for (let i = 0; i < size; i++) total[i]! += leg[i]! * f;
    }
    return topScores(total, lo, limit);
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
        if (cache.df.size >= DF_CACHE_TERMS) cache.df.clear();
        cache.df.set(row.term, p.length / 3);
      }
      while (cache.postings.size > POSTINGS_CACHE_TERMS) cache.postings.delete(cache.postings.keys().next().value!);
    }
    return out;
  }

  private async fuseDense(query: string, lexical: [number, number][], vectors: { chunkId: number; v: number[] }[], embedder: Embedder): Promise<[number, number][]> {
    const [qv] = await embedder.embed([query]);
    // A query the guard kept from the embedding endpoint is searched lexically.
    if (!qv) return lexical;
    const dense = vectors.map(({ chunkId, v }) => [chunkId, cosine(qv!, v)] as [number, number]).sort((a, b) => b[1] - a[1]).slice(0, 200);
    const fused = new Map<number, number>();
    lexical.slice(0, 200).forEach(([id], rank) => fused.set(id, (fused.get(id) ?? 0) + 1 / (RRF_K + rank + 1)));
    dense.forEach(([id], rank) => fused.set(id, (fused.get(id) ?? 0) + 1 / (RRF_K + rank + 1)));
    return [...fused.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  }

  private async collectionCache(c: CollectionInfo): Promise<CollectionCache> {
    const hit = this.cache.get(c.id);
    if (hit && hit.version === c.version) return hit;
    const rows = await this.store.db.selectFrom('documents').select(['title', 'source']).where('collection_id', '=', c.id).execute();
    const titles = [...new Set(rows.map((r) => normalizeText(r.title)))].sort((a, b) => b.length - a.length);
    const aliases = new Map<string, string>();
    for (const r of rows) {
      const title = normalizeText(r.title);
      aliases.set(title, title);
      const file = normalizeText(r.source.replace(/^.*\//u, '').replace(/\.[^.]+$/u, ''));
      if (file && !aliases.has(file)) aliases.set(file, title);
    }
    const entry: CollectionCache = { version: c.version, titles, aliases, vectors: null, postings: new Map(), df: new Map() };
    this.cache.set(c.id, entry);
    return entry;
  }

  private async loadVectors(collectionId: number): Promise<{ chunkId: number; v: number[] }[]> {
    const rows = await this.store.db.selectFrom('chunks').select(['id', 'embedding']).where('collection_id', '=', collectionId).where('embedding', 'is not', null).execute();
    return rows.map((r) => ({ chunkId: r.id, v: JSON.parse(r.embedding!) as number[] }));
  }
}

/**
 * The `limit` best positive scores of a dense array (index + lo = chunk id), ordered as a full sort by score
 * descending, then id ascending, would order them — without sorting every candidate.
 */
function topScores(scores: Float64Array, lo: number, limit: number): [number, number][] {
  let count = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i]! > 0) count++;
  let threshold = 0;
  if (count > limit) {
    const positive = new Float64Array(count);
    let j = 0;
    for (let i = 0; i < scores.length; i++) if (scores[i]! > 0) positive[j++] = scores[i]!;
    positive.sort();
    threshold = positive[count - limit]!;
  }
  const out: [number, number][] = [];
  for (let i = 0; i < scores.length; i++) if (scores[i]! > threshold) out.push([i + lo, scores[i]!]);
  // Ties at the threshold: lowest ids first, as the full sort would.
  if (threshold > 0) for (let i = 0; i < scores.length && out.length < limit; i++) if (scores[i] === threshold) out.push([i + lo, threshold]);
  return out.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
}

/**
 * The document title a reference belongs to: the longest title that ends right before it ("金融商品取引法第5条" →
 * 金融商品取引法), else the title (or file name: 公文書管理法.txt) that the law named there abbreviates
 * (公文書管理法の別表第一 → 公文書等の管理に関する法律).
 */
function titleBefore(normalizedQuery: string, index: number, cache: CollectionCache): string | null {
  const before = lawTextBefore(normalizedQuery, index);
  for (const t of cache.titles) if (t && before.endsWith(t)) return t;
  const name = lawNamedAt(normalizedQuery, index);
  if (!name) return null;
  let best: string | null = null;
  let bestMatch = 0;
  for (const [alias, title] of cache.aliases) {
    const m = lawMatch(name, alias);
    if (m > bestMatch) [best, bestMatch] = [title, m];
  }
  return bestMatch >= ABBREVIATION_SHARE ? best : null;
}
