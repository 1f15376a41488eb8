import type { IpadicDictionary, WordFeatures } from './ipadic-dictionary.js';
import type { Morpheme, Tokenizer } from './tokenizer.js';

const UNKNOWN_FLAG = 0x4000_0000;
const INITIAL_NODES = 4096;

/**
 * kuromoji's segmentation (same dictionary, same lattice, same tie-breaking) with flat typed arrays:
 * the text is cut after each 、 and 。 as kuromoji does, each piece gets a lattice of dictionary words
 * (common-prefix search on the UTF-8 trie) and unknown-word candidates, and the cheapest path wins.
 * Nodes are scored as they are created (all their predecessors end earlier), so there is no node object,
 * no per-position array and no substring per lookup.
 */
export class ViterbiTokenizer implements Tokenizer {
  // Lattice nodes (index 0 is BOS), reused across calls.
  private word = new Int32Array(INITIAL_NODES);
  private right = new Int32Array(INITIAL_NODES);
  private cost = new Float64Array(INITIAL_NODES);
  private prev = new Int32Array(INITIAL_NODES);
  private start = new Int32Array(INITIAL_NODES);
  private end = new Int32Array(INITIAL_NODES);
  /** Next node ending at the same position (insertion order), -1 at the end. */
  private nextSameEnd = new Int32Array(INITIAL_NODES);
  private headAt = new Int32Array(256);
  private tailAt = new Int32Array(256);
  private size = 0;

  constructor(private readonly dic: IpadicDictionary) {}

  tokenize(text: string): Morpheme[] {
    const out: Morpheme[] = [];
    let from = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x3001 || c === 0x3002) {
        this.tokenizeSentence(text, from, i + 1, out);
        from = i + 1;
      }
    }
    if (from < text.length) this.tokenizeSentence(text, from, text.length, out);
    return out;
  }

  private tokenizeSentence(text: string, from: number, to: number, out: Morpheme[]): void {
    const len = to - from;
    if (this.headAt.length < len + 1) {
      this.headAt = new Int32Array((len + 1) * 2);
      this.tailAt = new Int32Array((len + 1) * 2);
    }
    this.headAt.fill(-1, 0, len + 1);
    this.size = 0;
    this.addNode(0, 0, 0, 0, 0, 0); // BOS
    this.cost[0] = 0;

    const dic = this.dic;
    const { base, check, knownMap, unknownMap } = dic;
    const mapValues = knownMap.values;
    // The end of the current run of one character class: every position inside a run groups to the same end,
    // so it is found once per run (scanning it again from each position made long runs quadratic — 8,000
    // full-width digits or symbols took 0.2 s, 100,000 half a minute).
    let runName = '';
    let runEnd = -1;
    for (let pos = 0; pos < len; pos++) {
      if (this.headAt[pos] === -1) continue; // nothing ends here: nodes starting here are unreachable
      const at = from + pos;

      // Dictionary words starting here: walk the trie over the UTF-8 bytes of the rest of the piece.
      let found = 0;
      let node = 0;
      let i = at;
      walk: while (i < to) {
        let cp = text.charCodeAt(i);
        let width = 1;
        if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < to) {
          const lo = text.charCodeAt(i + 1);
          if (lo >= 0xdc00 && lo <= 0xdfff) {
            cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            width = 2;
          }
        }
        if (cp < 0x80) {
          node = this.step(base, check, node, cp);
        } else if (cp < 0x800) {
          node = this.step(base, check, node, 0xc0 | (cp >> 6));
          if (node >= 0) node = this.step(base, check, node, 0x80 | (cp & 0x3f));
        } else if (cp < 0x10000) {
          node = this.step(base, check, node, 0xe0 | (cp >> 12));
          if (node >= 0) node = this.step(base, check, node, 0x80 | ((cp >> 6) & 0x3f));
          if (node >= 0) node = this.step(base, check, node, 0x80 | (cp & 0x3f));
        } else {
          node = this.step(base, check, node, 0xf0 | (cp >> 18));
          if (node >= 0) node = this.step(base, check, node, 0x80 | ((cp >> 12) & 0x3f));
          if (node >= 0) node = this.step(base, check, node, 0x80 | ((cp >> 6) & 0x3f));
          if (node >= 0) node = this.step(base, check, node, 0x80 | (cp & 0x3f));
        }
        if (node < 0) break walk;
        i += width;
        const leaf = this.step(base, check, node, 0);
        if (leaf < 0) continue;
        found++;
        const b = base[leaf]!;
        if (b > 0) continue;
        const key = -b - 1;
        const first = knownMap.start(key);
        const n = knownMap.count(key);
        for (let k = 0; k < n; k++) {
          const id = mapValues[first + k]!;
          this.score(this.addNode(id, pos, i - from, dic.known.left(id), dic.known.right(id), dic.known.cost(id)));
        }
      }

      // Unknown words: when no dictionary word starts here, or the character's class always invokes them.
      const headWidth = charWidth(text, at, to);
      const cls = this.classAt(text, at, headWidth);
      const klass = dic.classes[cls]!;
      if (found === 0 || klass.invoke) {
        let stop = at + headWidth;
        if (klass.group) {
          if (at < runEnd && runName === klass.name) stop = runEnd;
          else {
            while (stop < to) {
              const w = charWidth(text, stop, to);
              if (dic.classes[this.classAt(text, stop, w)]!.name !== klass.name) break;
              stop += w;
            }
            runName = klass.name;
            runEnd = stop;
          }
        }
        const first = unknownMap.start(cls);
        const n = unknownMap.count(cls);
        const values = unknownMap.values;
        for (let k = 0; k < n; k++) {
          const id = values[first + k]!;
          this.score(this.addNode(id | UNKNOWN_FLAG, pos, stop - from, dic.unknown.left(id), dic.unknown.right(id), dic.unknown.cost(id)));
        }
      }
    }

    // EOS: cheapest node ending at the end of the piece (left id 0).
    let best = -1;
    let bestCost = Number.MAX_VALUE;
    const costs = dic.costs;
    const bw = dic.backwardSize;
    for (let p = len > 0 ? this.headAt[len]! : -1; p !== -1; p = this.nextSameEnd[p]!) {
      const c = this.cost[p]! + costs[2 + this.right[p]! * bw]!;
      if (c < bestCost) {
        bestCost = c;
        best = p;
      }
    }
    const path: number[] = [];
    for (let p = best; p > 0; p = this.prev[p]!) path.push(p);
    for (let k = path.length - 1; k >= 0; k--) out.push(this.morpheme(text, from, path[k]!));
  }

  private step(base: Int32Array, check: Int32Array, parent: number, code: number): number {
    const child = base[parent]! + code;
    return child >= 0 && child < check.length && check[child] === parent ? child : -1;
  }

  private classAt(text: string, at: number, width: number): number {
    return width === 2 ? this.dic.defaultClass : this.dic.charClass[text.charCodeAt(at)]!;
  }

  /** Append a node; `cost` temporarily holds the word cost and `prev` the left id until `score` runs. */
  private addNode(word: number, start: number, end: number, left: number, right: number, wordCost: number): number {
    if (this.size === this.word.length) this.grow();
    const n = this.size++;
    this.word[n] = word;
    this.start[n] = start;
    this.end[n] = end;
    this.right[n] = right;
    this.cost[n] = wordCost;
    this.prev[n] = left;
    this.nextSameEnd[n] = -1;
    if (this.headAt[end] === -1) this.headAt[end] = n;
    else this.nextSameEnd[this.tailAt[end]!] = n;
    this.tailAt[end] = n;
    return n;
  }

  /** Cheapest way to reach node n: predecessors are the nodes ending where n starts, first one wins ties. */
  private score(n: number): void {
    const left = this.prev[n]!;
    const wordCost = this.cost[n]!;
    const costs = this.dic.costs;
    const bw = this.dic.backwardSize;
    let best = Number.MAX_VALUE;
    let bestPrev = -1;
    for (let p = this.headAt[this.start[n]!]!; p !== -1; p = this.nextSameEnd[p]!) {
      const c = this.cost[p]! + costs[2 + this.right[p]! * bw + left]! + wordCost;
      if (c < best) {
        best = c;
        bestPrev = p;
      }
    }
    this.cost[n] = best;
    this.prev[n] = bestPrev;
  }

  private morpheme(text: string, from: number, n: number): Morpheme {
    const w = this.word[n]!;
    const start = from + this.start[n]!;
    if (w & UNKNOWN_FLAG) {
      const f: WordFeatures = this.dic.unknown.featuresOf(w & ~UNKNOWN_FLAG);
      const surface = text.slice(start, from + this.end[n]!);
      return { surface, pos: f.pos, pos1: f.pos1, pos2: f.pos2, pos3: f.pos3, base: f.base !== '*' && f.base ? f.base : surface, reading: '', start, known: false };
    }
    const f = this.dic.known.featuresOf(w);
    return {
      surface: f.surface,
      pos: f.pos,
      pos1: f.pos1,
      pos2: f.pos2,
      pos3: f.pos3,
      base: f.base !== '*' && f.base ? f.base : f.surface,
      reading: f.reading !== '*' ? f.reading : '',
      start,
      known: true,
    };
  }

  private grow(): void {
    const cap = this.word.length * 2;
    const g = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.word = g(this.word, (n) => new Int32Array(n));
    this.right = g(this.right, (n) => new Int32Array(n));
    this.cost = g(this.cost, (n) => new Float64Array(n));
    this.prev = g(this.prev, (n) => new Int32Array(n));
    this.start = g(this.start, (n) => new Int32Array(n));
    this.end = g(this.end, (n) => new Int32Array(n));
    this.nextSameEnd = g(this.nextSameEnd, (n) => new Int32Array(n));
  }
}

/** 2 for a surrogate pair, else 1. */
function charWidth(text: string, at: number, to: number): number {
  const c = text.charCodeAt(at);
  if (c >= 0xd800 && c <= 0xdbff && at + 1 < to) {
    const lo = text.charCodeAt(at + 1);
    if (lo >= 0xdc00 && lo <= 0xdfff) return 2;
  }
  return 1;
}
