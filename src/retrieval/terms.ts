import type { Analyzer } from './analysis/analyzer.js';
import type { Chunk } from './chunking/index.js';
import { normalizeText } from './analysis/numerals.js';

/** Index term prefixes: one "field" each, scored separately and fused. */
export const FIELD = { word: 'w:', bigram: 'b:', pair: 'p:', heading: 'h:', ref: 'r:', scopedRef: 'R:' } as const;

/**
 * Phrase terms: adjacent content words (function words between them ignored, 雨の多い時期 → 雨 多い, 多い 時期)
 * and noun compounds that kuromoji splits (コンゴ共和国). A cheap proximity signal, scored as its own field.
 */
export function phraseTerms(words: string[], compounds: string[] = []): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < words.length; i++) out.push(`${words[i]} ${words[i + 1]}`);
  for (const c of compounds) out.push(c);
  return out;
}

export interface ChunkTerms {
  /** term → frequency */
  tf: Map<string, number>;
  words: number;
  bigrams: number;
  /** Content words of the heading (title, chapter, article caption). */
  headingWords: number;
}

/** Scoped reference term: an article of one named document (law title). */
export function scopedRefTerm(title: string, ref: string): string {
  return `${FIELD.scopedRef}${normalizeText(title)}#${ref.slice(FIELD.ref.length)}`;
}

/**
 * All index terms of a chunk: its heading and text analysed into words, bigrams and phrases, the heading's words
 * once more as their own field, plus its article references.
 */
export function chunkTerms(analyzer: Analyzer, title: string, chunk: Chunk): ChunkTerms {
  const { words, bigrams, compounds, variants = [] } = analyzer.analyze(`${chunk.heading}\n${chunk.text}`);
  // The heading once more on its own (short: the cost is small).
  const headingWords = chunk.heading ? analyzer.analyze(chunk.heading).words : [];
  const tf = new Map<string, number>();
  const add = (t: string) => tf.set(t, (tf.get(t) ?? 0) + 1);
  for (const w of words) add(FIELD.word + w);
  for (const v of variants) add(FIELD.word + v); // 取り扱い is found as 取扱 too (okurigana.ts)
  for (const b of bigrams) add(FIELD.bigram + b);
  for (const p of phraseTerms(words, compounds)) add(FIELD.pair + p);
  for (const w of headingWords) tf.set(FIELD.heading + w, 1); // presence: headings repeat their key word (開示 > 開示決定等)
  for (const r of chunk.refs) {
    tf.set(r, 1);
    tf.set(scopedRefTerm(title, r), 1);
  }
  return { tf, words: words.length, bigrams: bigrams.length, headingWords: headingWords.length };
}

/** The field length to store with a posting, for BM25 length normalisation (phrases count like words). */
export function fieldLength(term: string, ct: ChunkTerms): number {
  if (term.startsWith(FIELD.word) || term.startsWith(FIELD.pair)) return ct.words;
  if (term.startsWith(FIELD.bigram)) return ct.bigrams;
  if (term.startsWith(FIELD.heading)) return ct.headingWords;
  return 1;
}
