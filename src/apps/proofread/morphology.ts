import { getTokenizer } from '../../retrieval/analysis/tokenizer.js';
import type { RuleContext, Token } from './types.js';

/** Tokenize and pin every morpheme to its real offset in `text` (robust to surrogate pairs and spaces). */
export async function analyse(text: string): Promise<RuleContext> {
  const tokenizer = await getTokenizer();
  const tokens: Token[] = [];
  let cursor = 0;
  for (const m of tokenizer.tokenize(text)) {
    const at = text.indexOf(m.surface, cursor);
    if (at < 0) continue;
    tokens.push({ ...m, start: at, end: at + m.surface.length });
    cursor = at + m.surface.length;
  }
  return { text, tokens, starts: new Set(tokens.map((t) => t.start)), ends: new Set(tokens.map((t) => t.end)) };
}

/** カタカナ → ひらがな. */
export function toHiragana(s: string): string {
  return s.replace(/[\u30a1-\u30f6]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60));
}

export const isKanji = (c: string | undefined): boolean => !!c && /[\u3400-\u9fff\uf900-\ufaff々]/.test(c);
export const isHiragana = (c: string | undefined): boolean => !!c && /[\u3041-\u309f]/.test(c);
export const isJapanese = (c: string | undefined): boolean => !!c && /[\u3041-\u30ff\u3400-\u9fff\uf900-\ufaff々ー]/.test(c);

/** The morpheme before index i that is not whitespace, or undefined. */
export function previous(tokens: Token[], i: number): Token | undefined {
  for (let j = i - 1; j >= 0; j--) if (tokens[j]!.pos !== '記号' || tokens[j]!.pos1 !== '空白') return tokens[j];
  return undefined;
}
