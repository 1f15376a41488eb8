import type { Morpheme, Tokenizer } from '../../retrieval/analysis/tokenizer.js';
import { NameLexicon } from './lexicon.js';

/** Name lists plus (optionally) kuromoji, run only on short windows around cues. */
export interface NameAnalyzer {
  lexicon: NameLexicon;
  /** Morphemes of a short window (offsets relative to the window), or null without a tokenizer. */
  tokenize(window: string): Morpheme[] | null;
}

export function createNameAnalyzer(tokenizer: Tokenizer | null, lexicon = new NameLexicon()): NameAnalyzer {
  return { lexicon, tokenize: (w) => (tokenizer ? tokenizer.tokenize(w) : null) };
}

/** Character classes by code point (called per character on the hot path, so no regex). */
export function isKanjiCode(c: number): boolean {
  return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff) || c === 0x3005 || c === 0x3006 || c === 0x30f6 || isKanjiHigh(c);
}
/** High surrogates of U+20000–U+33FFF: CJK Extensions B–H and the compatibility supplement (𠮷, 𡈽). */
const isKanjiHigh = (c: number): boolean => c >= 0xd840 && c <= 0xd88f;
export function isKatakanaCode(c: number): boolean {
  return (c >= 0x30a1 && c <= 0x30fa) || c === 0x30fc || (c >= 0x31f0 && c <= 0x31ff) || (c >= 0xff66 && c <= 0xff9d);
}
export function isHiraganaCode(c: number): boolean {
  return c >= 0x3041 && c <= 0x3096;
}
export function isKanji(ch: string | undefined): boolean {
  return !!ch && isKanjiCode(ch.charCodeAt(0));
}
export function isKatakana(ch: string | undefined): boolean {
  return !!ch && isKatakanaCode(ch.charCodeAt(0));
}
export function isHiragana(ch: string | undefined): boolean {
  return !!ch && isHiraganaCode(ch.charCodeAt(0));
}
/**
 * Whether the code unit at `i` belongs to a kanji (NaN outside the text is false). Both halves of a
 * surrogate pair count (𠮷 is two units), so loops by index see a whole 𠮷田 in either direction.
 */
export function kanjiAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c >= 0xdc00 && c <= 0xdfff) return isKanjiHigh(text.charCodeAt(i - 1));
  return isKanjiCode(c);
}

/** A morpheme that can be part of a person's name. */
export function isNameMorpheme(m: Morpheme): boolean {
  if (m.pos !== '名詞') return false;
  if (m.pos1 === '固有名詞' && m.pos2 === '人名') return true;
  if (!m.known && /^[\p{Script=Han}\p{Script=Katakana}ー]+$/u.test(m.surface)) return true;
  return false;
}

/** A morpheme that is clearly a personal name (not only unknown). */
export const isPersonMorpheme = (m: Morpheme): boolean => m.pos1 === '固有名詞' && m.pos2 === '人名';
