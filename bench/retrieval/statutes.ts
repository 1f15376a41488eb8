import fs from 'node:fs';
import path from 'node:path';
import { kanjiToNumber, KANJI_NUMERAL_CHARS } from '../../src/retrieval/analysis/numerals.js';
import type { BenchQuestion } from './jsquad.js';

/** One benchmark question over the statutes; gold is the law title and the article ("5", "5-2"). */
export interface StatuteQuestion {
  id: string;
  question: string;
  law: string;
  article: string;
  /** Whether the question names the article (第5条…). */
  namesArticle: boolean;
}

export interface ArticleDoc {
  key: string;
  law: string;
  text: string;
}

const N = `[${KANJI_NUMERAL_CHARS}0-9]+`;
const ARTICLE = new RegExp(`^第(${N})条((?:の${N})*)(?:[\\s　]|$)`);
/** In a heading the label may be followed by a paragraph range or the caption: 第五条第1項〜第3項（…）. */
const HEADING_ARTICLE = new RegExp(`^第(${N})条((?:の${N})*)`);
const CAPTION = /^（[^（）]{1,60}）$/;
const SUPPLEMENT = /^附\s*則/;

export const articleKey = (law: string, article: string) => `${law}#${article}`;

export function loadStatuteQuestions(file: string): StatuteQuestion[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as StatuteQuestion);
}

export const asBenchQuestions = (qs: StatuteQuestion[]): BenchQuestion[] => qs.map((q) => ({ query: q.question, gold: articleKey(q.law, q.article) }));

/** "第五条の二" (optionally followed by more) → "5-2"; null when the text does not start with an article label. */
export function articleNumber(label: string, inHeading = false): string | null {
  const m = (inHeading ? HEADING_ARTICLE : ARTICLE).exec(label);
  if (!m) return null;
  const parts = [m[1]!, ...[...(m[2] ?? '').matchAll(new RegExp(`の(${N})`, 'g'))].map((x) => x[1]!)];
  const nums = parts.map((p) => kanjiToNumber(p));
  return nums.some((n) => n === null) ? null : nums.join('-');
}

/** The article a hiraga hit belongs to, from its heading path (法令名 > … > 第五条（…）); supplementary provisions are marked. */
export function hitArticleKey(title: string, heading: string): string {
  const parts = heading.split(' > ');
  const supplementary = parts.some((p) => SUPPLEMENT.test(p));
  const article = articleNumber(parts[parts.length - 1] ?? '', true);
  return articleKey(title, `${supplementary ? '附則' : ''}${article ?? '?'}`);
}

/**
 * What a developer would do for MiniSearch: one document per article (caption line + article text),
 * split at lines that start with 第N条; articles of the supplementary provisions are keyed separately.
 */
export function splitArticles(file: string): ArticleDoc[] {
  const lines = fs.readFileSync(file, 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);
  const law = (lines[0] ?? '').replace(/^#\s*/, '') || path.basename(file);
  const docs: ArticleDoc[] = [];
  let caption = '';
  let current: { key: string; lines: string[] } | null = null;
  let supplementary = false;
  const flush = () => {
    if (current) docs.push({ key: current.key, law, text: current.lines.join('\n') });
    current = null;
  };
  for (const line of lines.slice(1)) {
    if (SUPPLEMENT.test(line) && line.length < 40 && docs.length + (current ? 1 : 0) > 0) {
      flush();
      supplementary = true;
      continue;
    }
    if (CAPTION.test(line)) {
      caption = line;
      continue;
    }
    const number = articleNumber(line);
    if (number) {
      flush();
      current = { key: articleKey(law, `${supplementary ? '附則' : ''}${number}`), lines: caption ? [caption, line] : [line] };
      caption = '';
      continue;
    }
    if (current) current.lines.push(line);
  }
  flush();
  return docs;
}
