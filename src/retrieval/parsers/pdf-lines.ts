/**
 * PDF text comes out one visual line per line: a sentence that wraps at the page margin is cut in two
 * (…三十日以上でなければならな / い。). Those breaks split sentences — the extractive answerer quoted half a
 * sentence — and words and bigrams across them. This joins a line that runs to the right margin with the next,
 * unless the next one starts a unit of its own (a paragraph number, an item, an article, a caption, a bullet).
 */

/** A line that starts a new unit: ２ …, 一 …, イ …, 第五条 …, 第二章 …, （目的）, 附則, 別表, ・ ● ※ … */
const STARTS_UNIT = /^(?:[0-9０-９]+[\s　.．)）]|[一二三四五六七八九十]+[\s　]|[イロハニホヘトチリヌルヲワカヨタレソツネナラム][\s　]|第[〇一二三四五六七八九十百千0-9０-９]+[条章節款編目](?:の[〇一二三四五六七八九十百千0-9０-９]+)*(?:[\s　]|$)|（[^（）]{1,40}）$|附\s*則|別表|[・●○■□◆◇※\-–•])/u;
/** How much of the widest lines a line must fill to count as wrapped at the margin. */
const FULL_SHARE = 0.85;

/** Display width: full-width characters count 1, ASCII and half-width kana ½. */
function width(line: string): number {
  let w = 0;
  for (const ch of line) w += ch.charCodeAt(0) < 0x2000 || (ch >= '\uff61' && ch <= '\uff9f') ? 0.5 : 1;
  return w;
}

/** The width of a full line: the 90th percentile of the document's line widths (tables and titles aside). */
function fullWidth(lines: string[]): number {
  const widths = lines.map(width).filter((w) => w >= 10).sort((a, b) => a - b);
  if (widths.length < 5) return Infinity; // too little text to tell a wrapped line from a short one
  return widths[Math.floor(widths.length * 0.9)]!;
}

const LATIN_END = /[A-Za-z0-9,;]$/;
const LATIN_START = /^[A-Za-z0-9(]/;

/**
 * Pages' text with lines wrapped at the margin joined again; blank lines and unit starts kept. A sentence that
 * runs over a page break is joined too: the continuation moves to the end of the previous page.
 */
export function unwrapPdfLines(pages: string[]): string[] {
  const full = fullWidth(pages.flatMap((p) => p.split('\n')).map((l) => l.trim()));
  const out: string[][] = [];
  // The line being continued (possibly on an earlier page) and its last visual line, whose width tells a wrap.
  let open: { lines: string[]; index: number; visual: string } | null = null;
  for (const page of pages) {
    const lines: string[] = [];
    out.push(lines);
    for (const raw of page.split('\n')) {
      const line = raw.trim();
      if (!line) {
        lines.push('');
        open = null; // a blank line ends the paragraph
        continue;
      }
      if (open && width(open.visual) >= full * FULL_SHARE && !STARTS_UNIT.test(line)) {
        const sep = LATIN_END.test(open.visual) && LATIN_START.test(line) ? ' ' : '';
        open.lines[open.index] += sep + line;
        open.visual = line;
        continue;
      }
      lines.push(line);
      open = { lines, index: lines.length - 1, visual: line };
    }
  }
  return out.map((lines) => lines.join('\n'));
}
