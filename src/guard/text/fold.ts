/**
 * Width folding that keeps every offset: each UTF-16 unit maps to exactly one unit, so an index
 * into the folded text is the same index into the original. (NFKC would change lengths: ㈱ → (株).)
 * Full-width ASCII → ASCII, ideographic space → space, dash look-alikes → '-'.
 */
const DASHES = new Set(['‐', '‑', '‒', '–', '—', '―', '−', '－', 'ｰ', '﹣', '⁃']);

const FOLDABLE = /[\uff01-\uff5e\u3000\u2010-\u2015\u2212\uff70\ufe63\u2043]/g;

function foldChar(ch: string): string {
  const c = ch.charCodeAt(0);
  if (c >= 0xff01 && c <= 0xff5e) return String.fromCharCode(c - 0xfee0);
  return c === 0x3000 ? ' ' : '-';
}

export function foldWidth(text: string): string {
  return text.replace(FOLDABLE, foldChar);
}

/** The long-vowel mark between digits is a dash too (０３ー１２３４): fold only there. */
export function foldDigitDashes(folded: string): string {
  let i = folded.indexOf('ー');
  if (i < 0) return folded;
  // ー is common in katakana words: find the few between ASCII digits without a regex pass.
  let out = '';
  let last = 0;
  for (; i >= 0; i = folded.indexOf('ー', i + 1)) {
    const a = folded.charCodeAt(i - 1);
    const b = folded.charCodeAt(i + 1);
    if (a >= 48 && a <= 57 && b >= 48 && b <= 57) {
      out += folded.slice(last, i) + '-';
      last = i + 1;
    }
  }
  return last === 0 ? folded : out + folded.slice(last);
}

export const isDash = (ch: string): boolean => ch === '-' || DASHES.has(ch);

/** Invisible characters used to hide text from people (zero-width, bidi controls, BOM, soft hyphen). */
export const INVISIBLE_RE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad]/g;

/** Text without invisible characters, plus a map from each kept index back to the original. */
export function stripInvisible(text: string): { text: string; map: number[] | null } {
  INVISIBLE_RE.lastIndex = 0;
  if (!INVISIBLE_RE.test(text)) return { text, map: null };
  const map: number[] = [];
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    INVISIBLE_RE.lastIndex = 0;
    if (INVISIBLE_RE.test(ch)) continue;
    map.push(i);
    out += ch;
  }
  return { text: out, map };
}
