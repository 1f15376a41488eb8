import type { Citation } from '../../core/types.js';

const DIGITS = '〇一二三四五六七八九';

/** 10 → 十, 252 → 二百五十二, 1001 → 千一 (as statute numbers are written). */
export function toKanjiNumber(n: number): string {
  if (!Number.isInteger(n) || n <= 0) return String(n);
  if (n >= 10_000) return toKanjiNumber(Math.floor(n / 10_000)) + '万' + (n % 10_000 ? toKanjiNumber(n % 10_000) : '');
  let out = '';
  for (const [unit, mark] of [[1000, '千'], [100, '百'], [10, '十']] as const) {
    const d = Math.floor(n / unit) % 10;
    if (d) out += (d === 1 ? '' : DIGITS[d]) + mark;
  }
  return out + (n % 10 ? DIGITS[n % 10] : '');
}

/** The paragraph (項) of a statute chunk that holds the quote: paragraphs 2.. start with a number at a line start. */
export function paragraphOf(text: string, quote: string): number | null {
  const at = text.indexOf(quote.slice(0, 30));
  if (at < 0) return null;
  // Include the quote's first characters: a quote may start with its own paragraph number (３ 区長は…).
  const before = text.slice(0, at + Math.min(quote.length, 4));
  const numbers = [...before.matchAll(/(?:^|\n)[ \t　]*([0-9０-９]+)[ \t　]/g)].map((m) => Number(m[1]!.normalize('NFKC')));
  return numbers.length ? numbers[numbers.length - 1]! : 1;
}

/**
 * Article-aware label of a citation from its heading path ("地方自治法 > 第二編 … > 第十条（…）"):
 * 地方自治法第十条第二項. Null when the heading names no article.
 */
export function statuteLabel(c: Citation, chunkText?: string): string | null {
  const parts = (c.heading ?? '').split(' > ');
  const law = parts[0]?.trim();
  const last = parts[parts.length - 1] ?? '';
  const article = /^(第[^条]+条(?:の[〇一二三四五六七八九十百千0-9]+)*)(第[〇一二三四五六七八九十百千0-9]+項)?/.exec(last.trim());
  if (!law || !article || parts.length < 2) return null;
  let paragraph = article[2] ?? '';
  if (!paragraph && chunkText) {
    const p = paragraphOf(chunkText, c.quote);
    // Only name the paragraph when the article has more than one.
    if (p && /(?:^|\n)[ \t　]*[2２][ \t　]/.test(chunkText)) paragraph = `第${toKanjiNumber(p)}項`;
  }
  return `${law}${article[1]}${paragraph}`;
}
