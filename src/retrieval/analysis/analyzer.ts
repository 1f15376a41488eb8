import { normalizeText } from './numerals.js';
import { skeletons } from './okurigana.js';
import { getTokenizer, type Morpheme, type Tokenizer } from './tokenizer.js';

/** Parts of speech that carry no content for retrieval. */
const DROP_POS = new Set(['助詞', '助動詞', '記号', 'フィラー', 'その他']);
/** Words that only shape a question ("…を教えてください") and say nothing about the answer. */
const QUERY_STOP = new Set([
  '何', 'なに', 'なん', 'いつ', 'どこ', 'だれ', '誰', 'どの', 'どう', 'どれ', 'どんな', 'なぜ', 'いくら', 'いくつ', '何故', '幾ら',
  '教える', 'くださる', '下さる', 'ください', '知る', '知りる', 'する', 'いる', 'ある', 'なる', 'れる', 'られる', 'できる', '出来る',
  'ます', 'です', 'か', 'よう', 'こと', 'もの', 'ため', 'の', 'ん', 'について', 'により', 'よる', 'おける',
  // JSQuAD-style question frames: 何という・何と呼ばれる・いつか・どこか・答えなさい
  '何と', 'なんと', 'いう', '言う', 'いつか', 'どこか', '誰か', 'だれか', '何か', 'なにか', 'どちら', 'どっち', 'いずれ', '幾つ',
  'この', 'その', 'あの', 'これ', 'それ', 'あれ', '答える', '述べる', '挙げる',
]);
const HIRAGANA_ONLY = /^[\u3041-\u309f]+$/;
const WORD_CHAR = /[\p{L}\p{N}]/u;

export interface AnalyzedText {
  /** Content words (base forms), in order. */
  words: string[];
  /** Character bigrams over the normalized text (fallback for unknown words, names, short queries). */
  bigrams: string[];
  /** Runs of two or more nouns joined (コンゴ+共和+国 → コンゴ共和国): compound terms that kuromoji splits. */
  compounds?: string[];
  /** Kanji skeletons of words written with okurigana (取り扱い → 取扱): searched as words too (okurigana.ts). */
  variants?: string[];
}

export class Analyzer {
  constructor(private readonly tokenizer: Tokenizer) {}

  static async load(): Promise<Analyzer> {
    return new Analyzer(await getTokenizer());
  }

  /** Morphemes of the normalized text. */
  morphemes(text: string): Morpheme[] {
    return this.tokenizer.tokenize(normalizeText(text));
  }

  analyze(text: string): AnalyzedText {
    const norm = normalizeText(text);
    const morphemes = this.tokenizer.tokenize(norm);
    const words = contentWords(morphemes, false);
    return { words, bigrams: bigrams(norm), compounds: compounds(morphemes), variants: skeletons(words) };
  }

  /** Like analyze, but also drops question words such as 何・いつ・教えてください. */
  analyzeQuery(text: string): AnalyzedText & { normalized: string } {
    const norm = normalizeText(text);
    const morphemes = this.tokenizer.tokenize(norm);
    const words = contentWords(morphemes, true);
    return { words, bigrams: bigrams(norm), compounds: compounds(morphemes), variants: skeletons(words), normalized: norm };
  }
}

export function contentWords(morphemes: Morpheme[], query: boolean): string[] {
  const out: string[] = [];
  for (const m of morphemes) {
    if (DROP_POS.has(m.pos)) continue;
    const w = m.base;
    if (!WORD_CHAR.test(w)) continue;
    if (m.pos1 === '非自立' || m.pos1 === '接尾' && HIRAGANA_ONLY.test(w)) continue;
    if (query && QUERY_STOP.has(w)) continue;
    if (w.length === 1 && HIRAGANA_ONLY.test(w)) continue;
    out.push(w);
  }
  return out;
}

/** Noun compounds: maximal runs of adjacent nouns (no gap between them), at least two, joined by surface. */
export function compounds(morphemes: Morpheme[]): string[] {
  const out: string[] = [];
  let run: Morpheme[] = [];
  const flush = () => {
    if (run.length >= 2) out.push(run.map((m) => m.surface).join(''));
    run = [];
  };
  for (const m of morphemes) {
    const prev = run[run.length - 1];
    const noun = m.pos === '名詞' && m.pos1 !== '非自立' && m.pos1 !== '代名詞' && WORD_CHAR.test(m.surface);
    if (prev && (!noun || prev.start + prev.surface.length !== m.start)) flush();
    if (noun) run.push(m);
  }
  flush();
  return out;
}

/** Character bigrams inside runs of letters and digits; a run of one character is kept as a unigram. */
export function bigrams(norm: string): string[] {
  const out: string[] = [];
  let run: string[] = [];
  const flush = () => {
    if (run.length === 1) out.push(run[0]!);
    for (let i = 0; i + 1 < run.length; i++) {
      const bg = run[i]! + run[i + 1]!;
      if (!HIRAGANA_ONLY.test(bg)) out.push(bg);
    }
    run = [];
  };
  for (const ch of norm) {
    if (WORD_CHAR.test(ch)) run.push(ch);
    else if (run.length) flush();
  }
  if (run.length) flush();
  return out;
}
