import { normalizeText } from '../../retrieval/analysis/numerals.js';
import { lawNamedAt, sameLaw } from '../../retrieval/analysis/law-names.js';
import type { ArticleRef } from '../../retrieval/analysis/refs.js';
import type { Passage } from '../types.js';

/**
 * A question that names an article (行政手続法第12条, 第5条第6項, 別表第一) asks about that article. When it is not
 * among the passages, the sources do not answer: quoting another law's 第3条, an article of the right law with
 * another number, or any sentence that happens to share a word would be a wrong answer with a citation.
 */

/** The label of a reference as normalized text writes it: "5-2" → 第5条の2, "別表1" → 別表第1. */
export function articleLabel(article: string): string {
  const table = /^(別表|様式)(\d*)$/.exec(article);
  if (table) return `${table[1]}${table[2] ? `第${table[2]}` : ''}`;
  const [main, ...branches] = article.split('-');
  return `第${main}条${branches.map((b) => `の${b}`).join('')}`;
}

/**
 * Whether a (normalized) heading path ends in the article a reference names: "5" → 第5条 (not 第5条の2), "5-2" →
 * 第5条の2; an article of a 附則 only for 附則第5条, and the other way round.
 */
export function namesArticle(heading: string, ref: Pick<ArticleRef, 'article' | 'supplementary'>): boolean {
  const label = articleLabel(ref.article);
  const parts = heading.split(' > ');
  const last = parts[parts.length - 1] ?? '';
  if (parts.some((part) => SUPPLEMENT.test(part)) !== Boolean(ref.supplementary)) return false;
  return last.startsWith(label) && !/^(の\d|\d)/.test(last.slice(label.length));
}

const SUPPLEMENT = /^附\s*則/;

/** How far after a law's name its article may be cited in a text: 行政機関の保有する…法律（平成十一年法律第四十二号…）第五条. */
const CITE_WINDOW = 80;

/** Whether `text` (normalized) cites `label` of the law `law`: the name, then the label shortly after it. */
function cites(text: string, law: string, label: string): boolean {
  for (let i = text.indexOf(law); i >= 0; i = text.indexOf(law, i + 1)) {
    const at = text.indexOf(label, i + law.length);
    if (at >= 0 && at - (i + law.length) <= CITE_WINDOW && !/^(の\d|\d)/.test(text.slice(at + label.length))) return true;
  }
  return false;
}

/**
 * Whether the passages have the article a reference names. With a law named before it (道路交通法第3条): if any
 * passage is from that law (its title or file name), one of those must be the article; if none is, one must at
 * least cite that law's article (公文書管理法 quoting 行政機関情報公開法第5条). Without a law: some passage is the
 * article, or cites it.
 */
export function articleAvailable(normalizedQuestion: string, ref: ArticleRef, passages: Passage[]): boolean {
  const law = lawNamedAt(normalizedQuestion, ref.index);
  const label = articleLabel(ref.article);
  if (!law) return passages.some((p) => namesArticle(normalizeText(p.heading), ref) || normalizeText(p.text).includes(label));
  const fromLaw = passages.filter((p) => isFromLaw(law, p));
  if (fromLaw.length) return fromLaw.some((p) => namesArticle(normalizeText(p.heading), ref));
  return passages.some((p) => cites(normalizeText(p.text), law, label));
}

/** Whether a passage is from the law `name`: its title (the heading's first part) or its file name. */
function isFromLaw(name: string, p: Passage): boolean {
  return sameLaw(name, p.heading.split(' > ')[0] ?? '') || sameLaw(name, p.source.replace(/^.*\//u, '').replace(/\.[^.]+$/u, ''));
}

/**
 * The reference a passage is the article of: its heading ends in that article and, when the question names a
 * law before it (行政手続法第14条), the passage is from that law — 公文書管理法's 第十四条 is not 行政手続法第14条.
 */
export function namedArticleIn(normalizedQuestion: string, refs: ArticleRef[], p: Passage): ArticleRef | undefined {
  const heading = normalizeText(p.heading);
  return refs.find((r) => {
    if (!namesArticle(heading, r)) return false;
    const law = lawNamedAt(normalizedQuestion, r.index);
    return !law || isFromLaw(law, p);
  });
}
