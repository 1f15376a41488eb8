import type { Analyzer } from './analysis/analyzer.js';
import type { Chunk } from './chunking/index.js';
import { normalizeText } from './analysis/numerals.js';

/** Index term prefixes: one "field" each, scored separately and fused. */
export const FIELD = { word: 'w:', bigram: 'b:', pair: 'p:', ref: 'r:', scopedRef: 'R:' } as const;

/** Adjacent content words (function words between them ignored): a cheap phrase/proximity signal. */
export function wordPairs(words: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < words.length; i++) out.push(`${words[i]} ${words[i + 1]}`);
  return out;
}

export interface ChunkTerms {
  /** term → frequency */
  tf: Map<string, number>;
  words: number;
  bigrams: number;
}

/** Scoped reference term: an article of one named document (law title). */
export function scopedRefTerm(title: string, ref: string): string {
  return `${FIELD.scopedRef}${normalizeText(title)}#${ref.slice(FIELD.ref.length)}`;
}

/** All index terms of a chunk: its heading and text analysed into words and bigrams, plus its article references. */
export function chunkTerms(analyzer: Analyzer, title: string, chunk: Chunk): ChunkTerms {
  const { words, bigrams, compounds } = analyzer.analyze(`${chunk.heading}\n${chunk.text}`);
  const tf = new Map<string, number>();
  for (const w of words) tf.set(FIELD.word + w, (tf.get(FIELD.word + w) ?? 0) + 1);
  for (const b of bigrams) tf.set(FIELD.bigram + b, (tf.get(FIELD.bigram + b) ?? 0) + 1);
  for (const p of wordPairs(words)) tf.set(FIELD.pair + p, (tf.get(FIELD.pair + p) ?? 0) + 1);
  if (process.env.CMP) for (const p of compounds ?? []) tf.set(FIELD.pair + p, (tf.get(FIELD.pair + p) ?? 0) + 1);
  if (process.env.HEAD) for (const w of analyzer.analyze(chunk.heading).words) tf.set('h:' + w, (tf.get('h:' + w) ?? 0) + 1);
  if (process.env.UNI) for (const ch of normalizeText(`${chunk.heading}\n${chunk.text}`)) if (/\p{Script=Han}/u.test(ch)) tf.set('k:' + ch, (tf.get('k:' + ch) ?? 0) + 1);
  for (const r of chunk.refs) {
    tf.set(r, 1);
    tf.set(scopedRefTerm(title, r), 1);
  }
  return { tf, words: words.length, bigrams: bigrams.length };
}

/** The field length to store with a posting, for BM25 length normalisation. */
export function fieldLength(term: string, ct: ChunkTerms): number {
  if (term.startsWith(FIELD.word) || term.startsWith(FIELD.pair)) return ct.words;
  if (term.startsWith(FIELD.bigram)) return ct.bigrams;
  if (term.startsWith('h:')) return 8;
  if (term.startsWith('k:')) return ct.bigrams;
  return 1;
}
