import surnames from '../data/surnames.json' with { type: 'json' };
import givenNames from '../data/given-names.json' with { type: 'json' };
import { romajiVariants } from './romaji.js';

/** Surname and given-name lists, indexed for a scan that costs one Map lookup per character. */
export class NameLexicon {
  private readonly surnamesByFirst = new Map<number, string[]>();
  private readonly givenByFirst = new Map<number, string[]>();
  private readonly kanaSurnamesByFirst = new Map<number, string[]>();
  readonly romajiSurnames = new Set<string>();

  constructor(extraSurnames: string[] = [], extraGiven: string[] = []) {
    for (const [kanji, reading] of surnames.entries as [string, string][]) {
      add(this.surnamesByFirst, kanji);
      add(this.kanaSurnamesByFirst, reading);
      for (const r of romajiVariants(reading)) this.romajiSurnames.add(r);
    }
    for (const s of extraSurnames) add(this.surnamesByFirst, s);
    for (const g of [...givenNames.entries, ...extraGiven]) add(this.givenByFirst, g);
  }

  /** Length of the longest surname starting at `i`, or 0. */
  surnameAt(text: string, i: number): number {
    return longestAt(this.surnamesByFirst, text, i);
  }

  /** Length of the longest surname written in hiragana (やまだ) starting at `i`, or 0. */
  kanaSurnameAt(text: string, i: number): number {
    return longestAt(this.kanaSurnamesByFirst, text, i);
  }

  /** Length of the longest listed given name starting at `i`, or 0. */
  givenAt(text: string, i: number): number {
    return longestAt(this.givenByFirst, text, i);
  }
}

/** Keyed by the first UTF-16 unit's code, so a lookup makes no one-character string. */
function add(index: Map<number, string[]>, word: string): void {
  if (!word) return;
  const key = word.charCodeAt(0);
  const list = index.get(key) ?? [];
  if (!list.includes(word)) list.push(word);
  list.sort((a, b) => b.length - a.length);
  index.set(key, list);
}

function longestAt(index: Map<number, string[]>, text: string, i: number): number {
  const list = index.get(text.charCodeAt(i));
  if (!list) return 0;
  for (const w of list) if (text.startsWith(w, i)) return w.length;
  return 0;
}
