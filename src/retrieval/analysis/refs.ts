import { normalizeText } from './numerals.js';

/**
 * A statute reference found in a query: 第5条の2第6項第1号 → { article: "5-2", paragraph: 6, item: 1 };
 * 別表第1 → { article: "別表1" } (an appended table; 様式第2 → "様式2").
 */
export interface ArticleRef {
  /** Article number with branch, e.g. "5" or "5-2"; or a table / form, "別表1", "別表" (the only one), "様式2". */
  article: string;
  paragraph?: number;
  item?: number;
  /** Offset in the normalized text where the reference starts. */
  index: number;
  /** Written 附則第3条: an article of the supplementary provisions, which have no reference terms. */
  supplementary?: boolean;
}

const ARTICLE_RE = /第(\d+)条(?:の(\d+))?(?:第(\d+)項)?(?:第(\d+)号)?/g;
const TABLE_RE = /(別表|様式)(?:第(\d+))?/g;
const SUPPLEMENT_BEFORE = /附\s*則\s*$/;

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
      ...(SUPPLEMENT_BEFORE.test(t.slice(0, m.index)) ? { supplementary: true } : {}),
    });
  }
  for (const m of t.matchAll(TABLE_RE)) {
    if (m[1] === '様式' && !m[2]) continue; // 様式 alone is a common word
    out.push({ article: `${m[1]}${m[2] ?? ''}`, index: m.index ?? 0 });
  }
  return out.sort((a, b) => a.index - b.index);
}

/** Index terms for a reference: the article, and the article with its paragraph. */
export function refTerms(ref: { article: string; paragraph?: number }): string[] {
  return ref.paragraph ? [`r:${ref.article}`, `r:${ref.article}:${ref.paragraph}`] : [`r:${ref.article}`];
}
