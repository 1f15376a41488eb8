import { normalizeText } from './numerals.js';

/**
 * The law a query names before an article reference (道路交通法第三条, 個人情報保護法第27条, 公文書管理法の別表第一),
 * and whether a document title is that law — also under a common abbreviation (個人情報保護法 for
 * 個人情報の保護に関する法律). Used by search (the scoped reference bonus) and by the extractive answerer
 * (a question about a law none of the passages is from is not answered from another law).
 */

/** What a law's name ends with (法, 法律, 施行令, 規則, 条例, 規程, 要綱…). */
const LAW_END = /(?:法律|法|令|規則|条例|規程|規約|要綱|要領|憲章|憲法)$/u;
/** Words that point back (同法, この法律, 本法, 当該法律) name no law of their own. */
const ANAPHOR = /^(?:同|この|その|本|当該|前記|上記|右|次)/u;
/** The trailing run of name characters (道路交通法 in 「道路交通法第3条」). */
const TAIL_RUN = /[\p{Script=Han}\p{Script=Katakana}ー・a-z0-9]+$/u;
/** A long name with its connecting words (行政機関の保有する情報の公開に関する法律). */
const LONG_RUN = /(?:[\p{Script=Han}\p{Script=Katakana}ー・a-z0-9]|の|する|に関する|における|による|及び|並びに)+$/u;

/** What comes before a reference at `index`, without the space, の or 附則 between them (公文書管理法の別表第1, 行政手続法附則第3条). */
export function lawTextBefore(normalizedQuery: string, index: number): string {
  return normalizedQuery.slice(0, index).replace(/[\s、,の]+$/u, '').replace(/(?:の|\s)*附\s*則$/u, '').replace(/[\s、,の]+$/u, '');
}

/** The law named right before the reference at `index` ("道路交通法第3条" → 道路交通法), or null. */
export function lawNamedAt(normalizedQuery: string, index: number): string | null {
  const before = lawTextBefore(normalizedQuery, index);
  const tail = TAIL_RUN.exec(before)?.[0] ?? '';
  // 道路交通法, 民法: the run itself; 法律 alone ends a long name (…の公開に関する法律).
  const name = tail.replace(LAW_END, '') ? tail : (LONG_RUN.exec(before)?.[0] ?? '').replace(/^(?:の|する|に関する|における|による|及び|並びに)+/u, '');
  if (!LAW_END.test(name) || ANAPHOR.test(name) || !name.replace(LAW_END, '')) return null;
  return name;
}

/** Kanji/katakana bigrams of a name without its ending (個人情報保護法 → 個人 人情 情報 報保 保護). */
function coreBigrams(name: string): Set<string> {
  const core = name.replace(LAW_END, '').replace(/[^\p{Script=Han}\p{Script=Katakana}ーa-z0-9]/gu, '');
  const out = new Set<string>();
  for (let i = 0; i + 1 < core.length; i++) out.add(core.slice(i, i + 2));
  return out;
}

/**
 * Whether a document titled `title` (or stored as `source`) is the law `name`: the same name, one inside the
 * other, or an abbreviation (個人情報保護法 for 個人情報の保護に関する法律: most of its bigrams in the title).
 */
export function sameLaw(name: string, title: string): boolean {
  return lawMatch(name, title) >= ABBREVIATION_SHARE;
}

/** The share of an abbreviation's bigrams that must be in the title (個人情報保護法: 4 of 5). */
export const ABBREVIATION_SHARE = 0.6;

/** How well `name` names the document titled `title`: 1 for the same name (or one ending the other), else the share of its bigrams in the title. */
export function lawMatch(name: string, title: string): number {
  const t = normalizeText(title);
  if (!t || !name) return 0;
  if (t === name || t.endsWith(name) || name.endsWith(t)) return 1;
  const nb = coreBigrams(name);
  if (nb.size < 2) return 0;
  const tb = coreBigrams(t);
  let shared = 0;
  for (const b of nb) if (tb.has(b)) shared++;
  return shared / nb.size;
}
