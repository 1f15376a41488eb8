/**
 * Width folding that keeps every offset: each UTF-16 unit maps to exactly one unit, so an index
 * into the folded text is the same index into the original. (NFKC would change lengths: ㈱ → (株).)
 * Full-width ASCII → ASCII, ideographic space → space, dash look-alikes → '-'.
 */
const DASHES = new Set(['‐', '‑', '‒', '–', '—', '―', '−', '－', 'ｰ', '﹣', '⁃']);

export function foldWidth(text: string): string {
  let out = '';
  let changed = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let r: number = c;
    if (c >= 0xff01 && c <= 0xff5e) r = c - 0xfee0;
    else if (c === 0x3000) r = 0x20;
    else if (c >= 0x2010 && c <= 0x2015) r = 0x2d;
    else if (c === 0x2212 || c === 0xff70 || c === 0xfe63 || c === 0x2043) r = 0x2d;
    if (r !== c) changed = true;
    out += String.fromCharCode(r);
  }
  return changed ? out : text;
}

/** The long-vowel mark between digits is a dash too (０３ー１２３４): fold only there. */
export function foldDigitDashes(folded: string): string {
  if (!folded.includes('ー')) return folded;
  return folded.replace(/(?<=\d)ー(?=\d)/g, '-');
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
