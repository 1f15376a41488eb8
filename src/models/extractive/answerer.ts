import type { Citation } from '../../core/types.js';
import { Analyzer } from '../../retrieval/analysis/analyzer.js';
import { splitSentences } from '../../retrieval/chunking/sentences.js';
import { findArticleRefs } from '../../retrieval/analysis/refs.js';
import { normalizeText } from '../../retrieval/analysis/numerals.js';
import { kanjiSkeleton } from '../../retrieval/analysis/okurigana.js';
import type { Passage } from '../types.js';
import { cuesFor } from './cues.js';
import { articleAvailable, namedArticleIn } from './named-article.js';

export interface ExtractiveOptions {
  /** Minimum share (0–1) of the question's content words that the best passage must contain; below it we abstain. */
  minSupport?: number;
  /** Most sentences quoted in one answer. */
  maxSentences?: number;
}

export interface ExtractiveAnswer {
  answer: string;
  abstained: boolean;
  citations: Citation[];
  /** Support of the best sentence (0–1), for review policies ("low grounding"). */
  support: number;
}

export const ABSTAIN_TEXT = '資料に記載が見当たりません。';
const ABSTAIN_TEXT_EN = 'The sources do not say.';

interface Candidate {
  passage: Passage;
  rank: number;
  sentence: string;
  score: number;
  coverage: number;
  matched: Set<string>;
  /** From the article the question names (第12条 → a passage headed 第十二条). */
  named: boolean;
}

/**
 * The honest offline answerer. It never writes new text: it quotes the sentence(s) of the retrieved passages
 * that best support the question, with their citations, or abstains.
 *
 * Method: the question is analysed into content words (kuromoji base forms; question words dropped). Each word
 * is weighted by how rare it is among the passages (rarer = more telling). A passage's coverage is the weighted
 * share of the question's words found in its heading or text; a sentence's score adds its own coverage and a
 * question-type cue (いくら → amounts, いつ → dates, 何日以内 → durations, どこ → places…). If the best passage
 * covers less than `minSupport` of the question, the sources do not answer it and we abstain, naming the
 * closest sources. Limits: it cannot combine facts from two places into a new sentence, paraphrase, count,
 * or compute; it answers only with whole sentences that are in the documents.
 */
export async function answerExtractive(question: string, passages: Passage[], options: ExtractiveOptions = {}): Promise<ExtractiveAnswer> {
  const minSupport = options.minSupport ?? 0.5;
  const maxSentences = options.maxSentences ?? 2;
  const analyzer = await Analyzer.load();
  const refs = findArticleRefs(question);
  // Words of an article reference (第/5/条/3/項, 別表/1) are matched structurally below, not as content.
  const refWords = new Set(['第', '条', '項', '号', ...refs.flatMap((r) => [...(r.article.match(/\d+|[^\d-]+/g) ?? []), String(r.paragraph ?? ''), String(r.item ?? '')])]);
  // Words compare by kanji skeleton where they have one: 問合せ in the question covers 問い合わせ in a passage.
  const key = (w: string) => kanjiSkeleton(w) ?? w;
  const wordSet = (text: string) => new Set(analyzer.analyze(text).words.map(key));
  const qWords = [...new Set(analyzer.analyzeQuery(question).words.filter((w) => !(refs.length && refWords.has(w))).map(key))];
  if (!passages.length || (!qWords.length && !refs.length)) return abstain(passages, 0);
  // 道路交通法第3条 or 行政手続法第99条 asked of passages that do not have that article: the sources do not answer.
  const normalizedQuestion = normalizeText(question);
  if (refs.some((r) => !articleAvailable(normalizedQuestion, r, passages))) return abstain(passages, 0);

  const passageWords = passages.map((p) => wordSet(`${p.heading}\n${p.text}`));
  const weight = new Map<string, number>();
  for (const w of qWords) {
    const df = passageWords.filter((s) => s.has(w)).length;
    const rarity = Math.log(1 + (passages.length + 1) / (df + 0.5));
    const shape = /^[\p{Script=Hiragana}]+$/u.test(w) ? 0.5 : /^\d+$/.test(w) ? 1.5 : 1;
    weight.set(w, rarity * shape);
  }
  const total = [...weight.values()].reduce((a, b) => a + b, 0);
  const cover = (words: Set<string>) => {
    let s = 0;
    const matched = new Set<string>();
    for (const [w, wt] of weight) if (words.has(w)) (s += wt), matched.add(w);
    return { share: total ? s / total : 0, matched };
  };
  const cues = cuesFor(question);

  const candidates: Candidate[] = [];
  passages.forEach((p, rank) => {
    const pc = cover(passageWords[rank]!);
    const ref = namedArticleIn(normalizedQuestion, refs, p);
    // A passage that is the article the question names counts as covering it.
    if (ref) pc.share = Math.max(pc.share, qWords.length ? pc.share + 0.5 : 1);
    for (const raw of splitSentences(p.text)) {
      const sentence = raw.trim();
      if (sentence.length < 4 || /^（[^）]*）$/.test(sentence)) continue; // captions are not answers
      const sc = cover(wordSet(sentence));
      // A direct, short statement beats a long sentence that mentions the same words in passing.
      let score = 0.6 * sc.share + 0.4 * pc.share + 0.03 / (rank + 1) + 0.1 * Math.min(1, 80 / sentence.length);
      for (const cue of cues) score += cue.answer.test(sentence.normalize('NFKC')) ? 0.15 : -0.1;
      // The paragraph named (第5条第3項); else the article's own first paragraph before its items and provisos.
      if (ref) score += 0.3 + (paragraphOf(sentence) === (ref.paragraph ?? 1) ? (ref.paragraph ? 0.3 : 0.1) : 0);
      candidates.push({ passage: p, rank, sentence, score, coverage: pc.share, matched: sc.matched, named: Boolean(ref) });
    }
  });
  // A question naming an article is answered from that article when it is among the passages, never from a
  // neighbour (or another law's article with the same number) that shares more words.
  if (candidates.some((c) => c.named)) candidates.splice(0, candidates.length, ...candidates.filter((c) => c.named));
  candidates.sort((a, b) => b.score - a.score);
  const best = candidates[0];
  // A sentence of the article named answers "what does 第21条 say" even when it shares no other word with it.
  if (!best || best.coverage < minSupport || (best.matched.size === 0 && !best.named)) return abstain(passages, best?.coverage ?? 0);

  const chosen = [best];
  for (const c of candidates.slice(1)) {
    if (chosen.length >= maxSentences) break;
    const addsWords = [...c.matched].some((w) => !chosen.some((x) => x.matched.has(w)));
    if (c.score >= best.score * 0.85 && c.coverage >= minSupport && addsWords) chosen.push(c);
  }
  // Marker [n] is the n-th citation, so a UI can link each quote to its passage.
  const citations: Citation[] = chosen.map((c) => ({ source: c.passage.source, chunk: c.passage.chunk, quote: c.sentence, heading: c.passage.heading }));
  const lines = chosen.map((c, i) => `「${c.sentence}」[${i + 1}]`);
  return { answer: lines.join('\n'), abstained: false, citations, support: Math.min(1, best.coverage) };
}

/** Paragraph number of a statute sentence: "２ …" → 2; the article's first sentence (第N条 …) → 1. */
function paragraphOf(sentence: string): number | null {
  const t = sentence.normalize('NFKC');
  if (/^第\S+条/.test(t)) return 1;
  const m = /^(\d+)\s/.exec(t);
  return m ? Number(m[1]) : null;
}

function abstain(passages: Passage[], support: number): ExtractiveAnswer {
  const closest = passages.slice(0, 3);
  const list = closest.map((p, i) => `[${i + 1}] ${p.source}（${p.heading}）`).join('\n');
  return {
    answer: closest.length ? `${ABSTAIN_TEXT}近い資料:\n${list}\n(${ABSTAIN_TEXT_EN})` : `${ABSTAIN_TEXT}(${ABSTAIN_TEXT_EN})`,
    abstained: true,
    citations: closest.map((p) => ({ source: p.source, chunk: p.chunk, quote: splitSentences(p.text).map((s) => s.trim()).find((s) => s.length > 4 && !/^（[^）]*）$/.test(s)) ?? '', heading: p.heading })),
    support,
  };
}
