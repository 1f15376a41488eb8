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

export const isKanji = (ch: string | undefined): boolean => !!ch && /[\p{Script=Han}々〆ヶ]/u.test(ch);
export const isKatakana = (ch: string | undefined): boolean => !!ch && /[\p{Script=Katakana}ー]/u.test(ch);
export const isHiragana = (ch: string | undefined): boolean => !!ch && /[ぁ-ゖ]/.test(ch);

/** A morpheme that can be part of a person's name. */
export function isNameMorpheme(m: Morpheme): boolean {
  if (m.pos !== '名詞') return false;
  if (m.pos1 === '固有名詞' && m.pos2 === '人名') return true;
  if (!m.known && /^[\p{Script=Han}\p{Script=Katakana}ー]+$/u.test(m.surface)) return true;
  return false;
}

/** A morpheme that is clearly a personal name (not only unknown). */
export const isPersonMorpheme = (m: Morpheme): boolean => m.pos1 === '固有名詞' && m.pos2 === '人名';
