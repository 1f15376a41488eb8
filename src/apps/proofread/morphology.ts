import { getTokenizer } from '../../retrieval/analysis/tokenizer.js';
import type { RuleContext, Token } from './types.js';

/**
 * Longest piece handed to the tokenizer at once. Its lattice grows with the square of an unbroken run of
 * unknown characters (200,000 full-width digits took 146 s in one piece); sentences are far shorter.
 */
export const MAX_PIECE = 1_000;

/** The text cut after each 。 and line break, and any longer run every MAX_PIECE characters (never inside a surrogate pair). */
export function pieces(text: string): { start: number; text: string }[] {
  const out: { start: number; text: string }[] = [];
  for (const m of text.matchAll(/[^。\n]*(?:[。\n]|$)/g)) {
    if (!m[0]) continue;
    for (let i = 0; i < m[0].length; ) {
      let end = Math.min(i + MAX_PIECE, m[0].length);
      if (end < m[0].length && /[\ud800-\udbff]/.test(m[0][end - 1]!)) end--;
      out.push({ start: m.index + i, text: m[0].slice(i, end) });
      i = end;
    }
  }
  return out;
}

/** Tokenize and pin every morpheme to its real offset in `text` (robust to surrogate pairs and spaces). */
export async function analyse(text: string): Promise<RuleContext> {
  const tokenizer = await getTokenizer();
  const tokens: Token[] = [];
  for (const piece of pieces(text)) {
    let cursor = 0;
    for (const m of tokenizer.tokenize(piece.text)) {
      const at = piece.text.indexOf(m.surface, cursor);
      if (at < 0) continue;
      tokens.push({ ...m, start: piece.start + at, end: piece.start + at + m.surface.length });
      cursor = at + m.surface.length;
    }
  }
  return { text, tokens, starts: new Set(tokens.map((t) => t.start)), ends: new Set(tokens.map((t) => t.end)) };
}

/** Token index by start offset, built once per text (a search per match was quadratic on long inputs). */
const indexes = new WeakMap<RuleContext, Map<number, number>>();

/** The index of the morpheme starting at `start`, or undefined. */
export function tokenIndexAt(ctx: RuleContext, start: number): number | undefined {
  let index = indexes.get(ctx);
  if (!index) indexes.set(ctx, (index = new Map(ctx.tokens.map((t, i) => [t.start, i]))));
  return index.get(start);
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
