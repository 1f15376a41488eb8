import { Analyzer } from '../../retrieval/analysis/analyzer.js';
import { packSentences, splitSentences } from '../../retrieval/chunking/sentences.js';

/** One part of a long input, numbered from 1 (cited as ［部分n］). */
export interface SummaryPart {
  n: number;
  text: string;
}

export interface SelectedSentence {
  part: number;
  /** Position of the sentence in its part (for keeping document order). */
  index: number;
  text: string;
  score: number;
}

export const LENGTHS = { short: { perPart: 1, total: 3 }, medium: { perPart: 2, total: 6 }, long: { perPart: 3, total: 12 } } as const;
export type SummaryLength = keyof typeof LENGTHS;

/** Split a long text into parts of about `maxChars`, between paragraphs, else between sentences. */
export function splitParts(text: string, maxChars = 1500): SummaryPart[] {
  const paragraphs = text.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
  const pieces: string[] = [];
  let cur = '';
  for (const p of paragraphs) {
    const chunks = p.length > maxChars ? packSentences(splitSentences(p), maxChars) : [p];
    for (const c of chunks) {
      if (cur && cur.length + c.length + 2 > maxChars) {
        pieces.push(cur);
        cur = '';
      }
      cur = cur ? `${cur}\n\n${c}` : c;
    }
  }
  if (cur) pieces.push(cur);
  return pieces.map((t, i) => ({ n: i + 1, text: t }));
}

/**
 * Extractive selection: each sentence scores by how many of the document's frequent content words it
 * carries (a centrality measure), normalised by its length, with a small bonus for leading sentences.
 * The best sentences of each part are kept, then the best overall up to the length limit, in document order.
 * Nothing is rewritten: every output sentence is in the input.
 */
export async function selectSentences(parts: SummaryPart[], length: SummaryLength): Promise<SelectedSentence[]> {
  const analyzer = await Analyzer.load();
  const sentences = parts.flatMap((p) =>
    splitSentences(p.text)
      .map((s) => s.trim())
      .filter((s) => s.length >= 8 && !/^[#＃■□◆●・\-*]/.test(s))
      .map((text, index) => ({ part: p.n, index, text, words: [...new Set(analyzer.analyze(text).words)] })),
  );
  const df = new Map<string, number>();
  for (const s of sentences) for (const w of s.words) df.set(w, (df.get(w) ?? 0) + 1);
  const scored = sentences.map((s) => {
    const weight = s.words.reduce((sum, w) => sum + Math.log(1 + (df.get(w) ?? 0)), 0);
    const lead = s.index === 0 ? 1.15 : 1;
    return { part: s.part, index: s.index, text: s.text, score: (weight / Math.sqrt(Math.max(20, s.text.length))) * lead };
  });
  const { perPart, total } = LENGTHS[length];
  const perPartBest = parts.flatMap((p) => scored.filter((s) => s.part === p.n).sort((a, b) => b.score - a.score).slice(0, perPart));
  // At most `total` sentences however long the input: one per part made 金融商品取引法 (864,000 characters,
  // 576 parts) a 136,000-character "summary".
  return perPartBest
    .sort((a, b) => b.score - a.score)
    .slice(0, total)
    .sort((a, b) => a.part - b.part || a.index - b.index);
}
