import { KANJI_NUMERAL_CHARS, kanjiToNumber } from '../analysis/numerals.js';
import { refTerms } from '../analysis/refs.js';
import { packSentences, splitSentences } from './sentences.js';
import { HEADING_SEPARATOR, type Chunk, type ChunkOptions } from './types.js';

const N = `[${KANJI_NUMERAL_CHARS}0-9０-９]+`;
const ARTICLE_LINE = new RegExp(`^第(${N})[条條]((?:の${N})*)[\\s　]+(.*)$`);
const DIVISION_LINE = new RegExp(`^第(${N})(編|章|節|款|目)((?:の${N})*)(?:[\\s　]+(.*))?$`);
const DIVISION_LEVEL: Record<string, number> = { 編: 1, 章: 2, 節: 3, 款: 4, 目: 5 };
const PARAGRAPH_LINE = /^([0-9０-９]+)[\s　]+(.*)$/;
const CAPTION_LINE = /^（[^（）]{1,60}）$/;
const TOC_RANGE = /（第.+条.*）$/;
const SUPPLEMENT_LINE = /^附\s*則/;
/** 別表第一（第二条関係） / 別表 / 別記様式第一 / 様式第1号（第3条関係）: appended tables and forms, each a unit of its own. */
const TABLE_LINE = new RegExp(`^(別表|別記様式|様式)(?:第(${N})号?)?(?=$|[\\s　（(])`);

/** True when the lines look like a statute or a 規程 (articles 第N条 at line starts). */
export function looksLikeStatute(lines: string[]): boolean {
  let articles = 0;
  for (const l of lines) if (ARTICLE_LINE.test(l)) articles++;
  return articles >= 2 && articles * 20 >= lines.length;
}

const num = (s: string) => kanjiToNumber(s.normalize('NFKC')) ?? 0;

const LAW_NAME = /^[^\s　]{2,60}(?:法律|法|令|規則|条例|規程|規約|要綱|要領)$/u;
const LAW_NUMBER = /^[（(]?(?:明治|大正|昭和|平成|令和)[^\s　]{1,30}(?:法律|政令|府令|省令|規則|条例|告示|訓令|規程)第[^\s　]{1,12}号[）)]?$/u;

/**
 * The name of a statute that starts with it and its number, as a text copied from e-Gov or an 例規集 does
 * (行政手続法 / 平成五年法律第八十八号 / …), for a document whose format gave no title — else the file name would stand for the law, and
 * 「行政手続法第12条」 would match no title.
 */
export function statuteTitle(lines: string[]): string | undefined {
  const [first = '', second = ''] = lines;
  // 行政手続法 / （平成五年法律第八十八号）, or e-Gov's order: 平成五年法律第八十八号 / 行政手続法.
  const name = LAW_NAME.test(first) && LAW_NUMBER.test(second) ? first : LAW_NUMBER.test(first) && LAW_NAME.test(second) ? second : undefined;
  return name && looksLikeStatute(lines) ? name : undefined;
}

interface Article {
  path: string[];
  caption: string;
  label: string; // 第五条の二
  number: string; // "5-2"
  supplementary: boolean;
  /** paragraphs[0] is paragraph 1 (the article line); each is a list of lines. */
  paragraphs: string[][];
}

/**
 * Chunk a statute: one chunk per article (条), with its caption and heading path
 * (法令名 > 第二章 … > 第五条（…）). An article longer than the target is split between paragraphs (項),
 * and a paragraph longer than that between items or sentences — never mid-sentence.
 */
export function chunkStatute(title: string, lines: string[], { chunkChars }: ChunkOptions): Chunk[] {
  const articles: Article[] = [];
  const divisions: { level: number; text: string }[] = [];
  let caption = '';
  let current: Article | null = null;
  let supplementary = false;
  let preamble: string[] = [];

  /**
   * Text after a 附則 or 別表 line, or after a division, that belongs to no article (附則 made of numbered
   * paragraphs only, as most are; a table): a unit of its own under that heading — never the preamble.
   */
  const unit = (label: string, number: string): Article => {
    const a: Article = { path: divisions.map((d) => d.text), caption: '', label, number, supplementary, paragraphs: [] };
    articles.push(a);
    return a;
  };
  /** A caption not followed by an article line is a line of the text it stands in (（経過措置） before ２ …). */
  const keepCaption = (a: Article) => {
    if (!caption) return;
    if (a.paragraphs.length) a.paragraphs[a.paragraphs.length - 1]!.push(caption);
    else a.paragraphs.push([caption]);
    caption = '';
  };

  for (const line of lines) {
    if (TOC_RANGE.test(line) && DIVISION_LINE.test(line)) continue; // table of contents
    if (line === '目次') continue;
    if (SUPPLEMENT_LINE.test(line) && articles.length === 0) continue; // 附則 listed in the table of contents
    if (SUPPLEMENT_LINE.test(line) && line.length < 40 && articles.length > 0) {
      supplementary = true;
      divisions.length = 0;
      divisions.push({ level: 1, text: line.replace(/\s+/g, ' ') });
      current = null;
      caption = '';
      continue;
    }
    const table = articles.length > 0 ? TABLE_LINE.exec(line) : null;
    if (table) {
      supplementary = false;
      divisions.length = 0;
      caption = '';
      current = unit(line.replace(/[\s　]+/g, ' '), `${table[1] === '別表' ? '別表' : '様式'}${table[2] ? num(table[2]) : ''}`);
      continue;
    }
    const div = DIVISION_LINE.exec(line);
    if (div && !ARTICLE_LINE.test(line)) {
      const level = DIVISION_LEVEL[div[2]!]! + (supplementary ? 1 : 0);
      while (divisions.length && divisions[divisions.length - 1]!.level >= level) divisions.pop();
      divisions.push({ level, text: line.replace(/[\s　]+/g, ' ') });
      current = null;
      continue;
    }
    if (CAPTION_LINE.test(line)) {
      caption = line;
      continue;
    }
    const art = ARTICLE_LINE.exec(line);
    if (art) {
      const branches = [...(art[2] ?? '').matchAll(new RegExp(`の(${N})`, 'g'))].map((m) => num(m[1]!));
      const number = [num(art[1]!), ...branches].join('-');
      current = {
        path: divisions.map((d) => d.text),
        caption,
        label: line.slice(0, line.length - (art[3]?.length ?? 0)).trim(),
        number,
        supplementary,
        paragraphs: [[line]],
      };
      caption = '';
      articles.push(current);
      continue;
    }
    if (!current) {
      if (articles.length === 0 && !supplementary) {
        if (caption) preamble.push(caption);
        caption = '';
        preamble.push(line);
        continue;
      }
      current = unit('', '');
    }
    keepCaption(current);
    // A table's rows are not paragraphs, even when they start with a number.
    const newParagraph = !current.paragraphs.length || (PARAGRAPH_LINE.test(line) && !isTable(current));
    if (newParagraph) current.paragraphs.push([line]);
    else current.paragraphs[current.paragraphs.length - 1]!.push(line);
  }

  const chunks: Chunk[] = [];
  preamble = preamble.filter((l) => l !== title);
  if (preamble.length) chunks.push({ heading: title, text: preamble.join('\n'), refs: [] });
  for (const a of articles) chunks.push(...articleChunks(title, a, chunkChars));
  return chunks;
}

const isTable = (a: Article) => /^(別表|様式)/.test(a.number);

function articleChunks(title: string, a: Article, chunkChars: number): Chunk[] {
  const head = (suffix = '') => [title, ...a.path, `${a.label}${suffix}${a.caption}`].filter(Boolean).join(HEADING_SEPARATOR);
  // 附則 articles and unnumbered units have no reference terms; a table (別表第一) has one, without paragraphs.
  const refsFor = (paras: number[]) =>
    a.supplementary || !a.number ? [] : /^[^0-9]/.test(a.number) ? [`r:${a.number}`] : [...new Set(paras.flatMap((p) => refTerms({ article: a.number, paragraph: p })))];
  const whole = [a.caption, ...a.paragraphs.flat()].filter(Boolean).join('\n');
  const allParas = a.paragraphs.map((_, i) => i + 1);
  if (whole.length <= chunkChars * 1.5) return [{ heading: head(), text: whole, refs: refsFor(allParas) }];

  // Split between paragraphs, packing neighbours up to the target size.
  const out: Chunk[] = [];
  let group: number[] = [];
  let size = 0;
  const flushGroup = () => {
    if (!group.length) return;
    const first = group[0]!;
    const last = group[group.length - 1]!;
    const suffix = first === last ? `第${first}項` : `第${first}項〜第${last}項`;
    const text = [first === 1 ? a.caption : '', ...group.flatMap((p) => a.paragraphs[p - 1]!)].filter(Boolean).join('\n');
    out.push({ heading: head(suffix), text, refs: refsFor(group) });
    group = [];
    size = 0;
  };
  a.paragraphs.forEach((lines, i) => {
    const p = i + 1;
    const len = lines.join('\n').length;
    if (len > chunkChars * 1.5) {
      flushGroup();
      // A huge paragraph: split between its items (lines), then between sentences.
      const pieces = packSentences(lines.flatMap((l) => splitSentences(l + '\n')), chunkChars);
      const part = (k: number) => (pieces.length > 1 ? `（${k + 1}）` : '');
      pieces.forEach((piece, k) => out.push({ heading: head(isTable(a) ? part(k) : `第${p}項${part(k)}`), text: piece, refs: refsFor([p]) }));
      return;
    }
    if (size + len > chunkChars) flushGroup();
    group.push(p);
    size += len + 1;
  });
  flushGroup();
  return out;
}
