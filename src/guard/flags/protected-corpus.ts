import { foldWidth } from '../text/fold.js';

/** A verbatim run shared by an output and a protected work. Offsets are into the checked output. */
export interface Overlap {
  source: string;
  start: number;
  end: number;
  /** Characters of the run, whitespace and punctuation ignored. */
  length: number;
  /** Share of the output's n-grams found in this source (0–1). */
  containment: number;
}

const N = 12;
const SKIP = /[\s、。，．,.・「」『』（）()【】〔〕!?！？:：;；"'ー-]/u;

/** Registered protected works, indexed by character 12-grams (whitespace and punctuation ignored). */
export class ProtectedCorpus {
  private readonly sources: string[] = [];
  private readonly grams = new Map<string, number[]>();

  /** `minLength`: the shortest verbatim run (characters) that counts as copying. */
  constructor(private readonly minLength = 40) {}

  get size(): number {
    return this.sources.length;
  }

  add(source: string, text: string): void {
    const id = this.sources.push(source) - 1;
    const { chars } = squeeze(text);
    for (let i = 0; i + N <= chars.length; i++) {
      const g = chars.slice(i, i + N);
      const list = this.grams.get(g);
      if (!list) this.grams.set(g, [id]);
      else if (list[list.length - 1] !== id) list.push(id);
    }
  }

  /** Runs of at least `minLength` characters copied from one source. */
  check(output: string, minLength = this.minLength): Overlap[] {
    if (!this.sources.length) return [];
    const { chars, map } = squeeze(output);
    const total = Math.max(1, chars.length - N + 1);
    const hitsPerSource = new Map<number, number[]>();
    for (let i = 0; i + N <= chars.length; i++) {
      const ids = this.grams.get(chars.slice(i, i + N));
      if (!ids) continue;
      for (const id of ids) {
        const list = hitsPerSource.get(id) ?? [];
        list.push(i);
        hitsPerSource.set(id, list);
      }
    }
    const out: Overlap[] = [];
    for (const [id, starts] of hitsPerSource) {
      const containment = starts.length / total;
      let runStart = starts[0]!;
      let prev = runStart;
      const flush = (end: number) => {
        const length = end - runStart;
        if (length >= minLength) out.push({ source: this.sources[id]!, start: map[runStart]!, end: map[end - 1]! + 1, length, containment: Math.round(containment * 1000) / 1000 });
      };
      for (const s of starts.slice(1)) {
        if (s > prev + 1) {
          flush(prev + N);
          runStart = s;
        }
        prev = s;
      }
      flush(prev + N);
    }
    return out.sort((a, b) => b.length - a.length);
  }
}

/** Folded text without whitespace/punctuation, and each kept char's original index. */
function squeeze(text: string): { chars: string; map: number[] } {
  const folded = foldWidth(text);
  let chars = '';
  const map: number[] = [];
  for (let i = 0; i < folded.length; i++) {
    const ch = folded[i]!;
    if (SKIP.test(ch)) continue;
    chars += ch;
    map.push(i);
  }
  return { chars, map };
}
