/**
 * The text personal-data rules see: format characters (zero-width space/joiners, word joiner, BOM, soft
 * hyphen, bidi controls — every Cf — and variation selectors) removed, the rest NFKC-normalised (full-width
 * ASCII, half-width katakana ﾏｲﾅﾝﾊﾞｰ, mathematical digits 𝟏𝟐𝟑, ideographic space, ㈱, ℡…), dash look-alikes
 * folded to '-' and ー between digits to '-'.
 *
 * Lengths change, so the result carries a map from each index of the rule text back to the original: a
 * span [s, e) of the rule text is [starts[s], ends[e - 1]) of the original — contiguous, so invisible
 * characters inside a match belong to it (and are masked with it). Characters are normalised one at a time
 * (a base character together with the combining marks and half-width (semi-)voiced marks after it), so
 * every output unit knows its source.
 *
 * Hot path: a per-code-unit class table (built once, lazily) decides each character; a text that needs no
 * change is returned as is, and one whose changes keep the length (full-width digits) needs no map.
 */
import { foldDigitDashes } from './fold.js';

/** Unchanged by the rule normalisation. */
const IDENT = 0;
/** One code unit → one other code unit (full-width ASCII, ｱ, dashes, ideographic space). */
const ONE = 1;
/** Dropped (Cf, variation selectors). */
const DROP = 2;
/** Joins the character before it (combining marks, ﾞ ﾟ). */
const JOIN = 3;
/** Anything else: normalised with `String.prototype.normalize` (expansions, surrogate pairs). */
const SLOW = 4;

const DASHES = '‐‑‒–—―−﹣⁃－';

let classes: Uint8Array | null = null;
let replacement: Uint16Array | null = null;

function buildTables(): void {
  const cls = new Uint8Array(0x10000);
  const rep = new Uint16Array(0x10000);
  const cf = /^\p{Cf}$/u;
  const mark = /^\p{M}$/u;
  for (let c = 0x80; c < 0x10000; c++) {
    if (c >= 0xd800 && c <= 0xdfff) {
      cls[c] = c <= 0xdbff ? SLOW : IDENT; // a high surrogate starts a pair; a stray low one stays
      continue;
    }
    // Large blocks that NFKC leaves alone and that hold no format character or mark.
    if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0x3400 && c <= 0x4dbf)) continue;
    const s = String.fromCharCode(c);
    if (cf.test(s) || (c >= 0xfe00 && c <= 0xfe0f) || (c >= 0x180b && c <= 0x180d)) {
      cls[c] = DROP;
      continue;
    }
    if (mark.test(s) || c === 0xff9e || c === 0xff9f) {
      cls[c] = JOIN;
      continue;
    }
    const n = foldDashes(s.normalize('NFKC'));
    if (n === s) continue;
    if (n.length === 1) {
      cls[c] = ONE;
      rep[c] = n.charCodeAt(0);
    } else cls[c] = SLOW;
  }
  classes = cls;
  replacement = rep;
}

function foldDashes(s: string): string {
  if (s.length === 1) return DASHES.includes(s) ? '-' : s;
  let out = '';
  for (const ch of s) out += DASHES.includes(ch) ? '-' : ch;
  return out;
}

/** Original offsets of each index of the rule text: [starts[i], ends[i]). */
export interface OffsetMap {
  starts: number[];
  ends: number[];
}

export interface RuleText {
  /** The normalised text the rules run on. */
  text: string;
  /** null: same length as the original, index for index. */
  map: OffsetMap | null;
}

/** Astral code points dropped from the rule text: tags (Cf) and the variation selectors supplement. */
function droppedAstral(cp: number): boolean {
  return (cp >= 0xe0000 && cp <= 0xe007f) || (cp >= 0xe0100 && cp <= 0xe01ef) || (cp >= 0x1bca0 && cp <= 0x1bca3) || (cp >= 0x1d173 && cp <= 0x1d17a);
}

export function normalizeForRules(text: string): RuleText {
  if (!classes) buildTables();
  const cls = classes!;
  const rep = replacement!;
  const n = text.length;
  let i = 0;
  // Fast path: ASCII and stable characters only.
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80 && cls[c] !== IDENT) break;
  }
  if (i === n) return { text: foldDigitDashes(text), map: null };
  // A combining mark belongs with the character before it (は + ゙ → ば).
  if (cls[text.charCodeAt(i)] === JOIN && i > 0) {
    i--;
    const d = text.charCodeAt(i);
    if (d >= 0xdc00 && d <= 0xdfff && i > 0) i--;
  }

  return withMap(text, i, cls, rep);
}

/** From the first character that changes: a map back to the original is made once a length changes. */
function withMap(text: string, from: number, cls: Uint8Array, rep: Uint16Array): RuleText {
  const n = text.length;
  let i = from;
  let out = text.slice(0, i);
  let map: OffsetMap | null = null;
  /** Start of the run of unchanged characters not yet copied to `out`. */
  let run = i;
  const startMap = (): OffsetMap => {
    // Everything so far was one unit for one unit.
    const len = out.length;
    const m: OffsetMap = { starts: new Array<number>(len), ends: new Array<number>(len) };
    for (let k = 0; k < len; k++) {
      m.starts[k] = k;
      m.ends[k] = k + 1;
    }
    return m;
  };
  const flush = (to: number): void => {
    if (run >= to) return;
    if (map) {
      for (let k = run; k < to; k++) {
        map.starts.push(k);
        map.ends.push(k + 1);
      }
    }
    out += text.slice(run, to);
  };

  while (i < n) {
    const c = text.charCodeAt(i);
    const k = cls[c]!;
    let j = i + 1;
    if (k === SLOW && c <= 0xdbff && c >= 0xd800) {
      const d = text.charCodeAt(j);
      if (d >= 0xdc00 && d <= 0xdfff) j++;
    }
    let joined = false;
    while (j < n) {
      const d = text.charCodeAt(j);
      if (d < 0x300 || cls[d] !== JOIN) break;
      j++;
      joined = true;
    }
    if (!joined && k === IDENT) {
      i = j;
      continue;
    }
    if (!joined && k === ONE) {
      flush(i);
      if (map) {
        map.starts.push(i);
        map.ends.push(i + 1);
      }
      out += String.fromCharCode(rep[c]!);
      run = i = j;
      continue;
    }
    const seg = text.slice(i, j);
    let norm: string;
    if (k === DROP) norm = '';
    else if (j - i === 2 && !joined && droppedAstral(seg.codePointAt(0)!)) norm = '';
    else norm = foldDashes(seg.normalize('NFKC'));
    if (norm === seg) {
      // Unchanged after all (an emoji, 𠮷): part of the current run.
      i = j;
      continue;
    }
    flush(i);
    if (norm.length !== seg.length && !map) map = startMap();
    if (map) {
      if (norm.length === seg.length) {
        for (let u = 0; u < norm.length; u++) {
          map.starts.push(i + u);
          map.ends.push(i + u + 1);
        }
      } else {
        for (let u = 0; u < norm.length; u++) {
          map.starts.push(i);
          map.ends.push(j);
        }
      }
    }
    out += norm;
    run = i = j;
  }
  flush(n);
  return { text: foldDigitDashes(out), map };
}

/** The original span of the rule-text span [start, end). */
export function originalSpan(map: OffsetMap | null, start: number, end: number): [number, number] {
  if (!map) return [start, end];
  if (end <= start) {
    const at = start < map.starts.length ? map.starts[start]! : map.ends.length ? map.ends[map.ends.length - 1]! : 0;
    return [at, at];
  }
  return [map.starts[start]!, map.ends[end - 1]!];
}
