import { normalizeText } from './numerals.js';

/** A statute reference found in a query: 第5条の2第6項第1号 → { article: "5-2", paragraph: 6, item: 1 }. */
export interface ArticleRef {
  /** Article number with branch, e.g. "5" or "5-2". */
  article: string;
  paragraph?: number;
  item?: number;
  /** Offset in the normalized text where the reference starts. */
  index: number;
}

const ARTICLE_RE = /第(\d+)条(?:の(\d+))?(?:第(\d+)項)?(?:第(\d+)号)?/g;

/** Find article references in text (kanji or Arabic numerals). */
export function findArticleRefs(text: string, normalized = false): ArticleRef[] {
  const t = normalized ? text : normalizeText(text);
  const out: ArticleRef[] = [];
  for (const m of t.matchAll(ARTICLE_RE)) {
    out.push({
      article: m[2] ? `${m[1]}-${m[2]}` : m[1]!,
      ...(m[3] ? { paragraph: Number(m[3]) } : {}),
      ...(m[4] ? { item: Number(m[4]) } : {}),
      index: m.index ?? 0,
    });
  }
  return out;
}

/** Index terms for a reference: the article, and the article with its paragraph. */
export function refTerms(ref: { article: string; paragraph?: number }): string[] {
  return ref.paragraph ? [`r:${ref.article}`, `r:${ref.article}:${ref.paragraph}`] : [`r:${ref.article}`];
}
