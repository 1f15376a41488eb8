import { kanjiToNumber } from '../../retrieval/analysis/numerals.js';

const PUNCT = /[\s\p{P}\p{S}]+/gu;

/** NFKC, lower case, without spaces, punctuation, symbols or citation markers such as [1]. */
export function normalizeAnswer(text: string): string {
  return text.normalize('NFKC').replace(/\[\d{1,3}\]/g, '').toLowerCase().replace(PUNCT, '');
}

/** Character bigrams of the normalized text (single characters for one-character texts). */
export function charBigrams(text: string): string[] {
  const chars = Array.from(normalizeAnswer(text));
  if (chars.length < 2) return chars;
  const out: string[] = [];
  for (let i = 0; i < chars.length - 1; i++) out.push(chars[i]! + chars[i + 1]!);
  return out;
}

/** Dice similarity of two texts' bigram sets (0–1). */
export function bigramSimilarity(a: string, b: string): number {
  const A = new Set(charBigrams(a));
  const B = new Set(charBigrams(b));
  if (!A.size && !B.size) return 1;
  let both = 0;
  for (const g of A) if (B.has(g)) both++;
  return (2 * both) / (A.size + B.size);
}

const DIGIT = /\p{Nd}/u;
const KANJI_DIGIT = /[〇零一二三四五六七八九十百千万億兆]/u;

/**
 * A number in the answer must match a whole number of the reply: 30日 is not found in 130日, 三十日 not in
 * 百三十日, 3776 not in 37760 (a match that starts or ends with a numeral may not continue a longer one).
 */
function wholeNumbers(text: string, at: number, found: string): boolean {
  const before = text[at - 1];
  const after = text[at + found.length];
  const first = found[0]!;
  const last = found[found.length - 1]!;
  for (const re of [DIGIT, KANJI_DIGIT]) {
    if (before !== undefined && re.test(first) && re.test(before)) return false;
    if (after !== undefined && re.test(last) && re.test(after)) return false;
  }
  return true;
}

/** Whether `answer` contains any of the accepted answers (normalized substring match, numbers whole). */
export function containsAnswer(answer: string, accepted: string[]): string | null {
  const a = normalizeAnswer(answer);
  for (const acc of accepted) {
    const n = normalizeAnswer(acc);
    if (!n) continue;
    for (let at = a.indexOf(n); at >= 0; at = a.indexOf(n, at + 1)) if (wholeNumbers(a, at, n)) return acc;
  }
  return null;
}

const KANJI_NUM = /[〇零一二三四五六七八九十百千万]{1,12}/gu;

/**
 * The numbers a text states, as canonical strings: Arabic numerals (with , and .) and kanji numerals
 * (三十六 → 36). Kanji runs of one character that are usually words (一, 十 alone) are kept only in
 * counting contexts (followed by a counter such as 条, 人, 円, 日, 年, 月, %, 件).
 */
export function extractNumbers(text: string): string[] {
  const t = text.normalize('NFKC');
  const out: string[] = [];
  for (const m of t.matchAll(/\d[\d,]*(?:\.\d+)?/g)) out.push(String(Number(m[0].replace(/,/g, ''))));
  for (const m of t.matchAll(KANJI_NUM)) {
    const after = t[m.index! + m[0].length] ?? '';
    if (m[0].length === 1 && !/[条項号人円日年月%件歳回分時か箇]/u.test(after)) continue;
    const n = kanjiToNumber(m[0]);
    if (n !== null) out.push(String(n));
  }
  return out;
}

/** Negation cues in Japanese sentences (prohibitions included). */
const NEGATION = /(ない|ません|ぬ|ず[、。にとも]|ず$|不可|禁止|禁じ|てはならない|否|無効)/u;
/** Double negatives that state an obligation or a certainty (しなければならない = must): affirmative. */
const OBLIGATION = /(なければ|なくては|なくちゃ|ねば)(ならない|ならず|なりません|いけない|いけません)|ざるを得(ない|ず|ません)|にほかならない|に違いない|かもしれない|少なくない|ないし/gu;

export function isNegated(sentence: string): boolean {
  return NEGATION.test(sentence.normalize('NFKC').replace(OBLIGATION, ''));
}

/** Split into sentences on 。！？!? and line breaks, dropping citation markers and empties. */
export function splitSentences(text: string): string[] {
  return text
    .replace(/\r/g, '')
    .split(/(?<=[。！？!?])|\n+/u)
    .map((s) => s.replace(/\[\d{1,3}\]/g, '').trim())
    .filter((s) => s.length > 0);
}
