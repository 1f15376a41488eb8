import surnames from '../data/surnames.json' with { type: 'json' };
import givenNames from '../data/given-names.json' with { type: 'json' };
import { romajiVariants } from './romaji.js';

/** Surname and given-name lists, indexed for a scan that costs one or two Map lookups per character. */
export class NameLexicon {
  private readonly surnames = new WordIndex();
  private readonly given = new WordIndex();
  private readonly kanaSurnames = new WordIndex();
  readonly romajiSurnames = new Set<string>();

  constructor(extraSurnames: string[] = [], extraGiven: string[] = []) {
    for (const [kanji, reading] of surnames.entries as [string, string][]) {
      this.surnames.add(kanji);
      this.kanaSurnames.add(reading);
      for (const r of romajiVariants(reading)) this.romajiSurnames.add(r);
    }
    for (const s of extraSurnames) this.surnames.add(s);
    // Old and variant forms people write their names in (髙橋, 𠮷田, 山﨑, 渡邉): the same surname.
    for (const [kanji] of surnames.entries as [string, string][]) for (const v of variantSpellings(kanji)) this.surnames.add(v);
    for (const g of [...givenNames.entries, ...extraGiven]) this.given.add(g);
  }

  /** Length of the longest surname starting at `i`, or 0. */
  surnameAt(text: string, i: number): number {
    return this.surnames.longestAt(text, i);
  }

  /** Length of the longest surname written in hiragana (やまだ) starting at `i`, or 0. */
  kanaSurnameAt(text: string, i: number): number {
    return this.kanaSurnames.longestAt(text, i);
  }

  /** Length of the longest listed given name starting at `i`, or 0. */
  givenAt(text: string, i: number): number {
    return this.given.longestAt(text, i);
  }
}

/** Standard kanji → variant forms seen in names (異体字 NFKC leaves alone; compatibility ideographs it folds). */
const VARIANTS: Record<string, string[]> = {
  高: ['髙'],
  吉: ['𠮷'],
  崎: ['﨑', '嵜'],
  辺: ['邊', '邉'],
  斎: ['齋', '齊', '斉'],
  浜: ['濱', '濵'],
  沢: ['澤'],
  島: ['嶋', '嶌'],
  桜: ['櫻'],
  国: ['國'],
  広: ['廣'],
  徳: ['德'],
  蔵: ['藏'],
  恵: ['惠'],
  富: ['冨'],
  関: ['關'],
  竜: ['龍'],
  礼: ['禮'],
  瀬: ['瀨'],
};

/** Every spelling of `word` with one or more characters in a variant form (a few per surname). */
export function variantSpellings(word: string): string[] {
  let forms = [''];
  for (const ch of word) {
    const alts = VARIANTS[ch];
    forms = alts ? forms.flatMap((f) => [f + ch, ...alts.map((a) => f + a)]) : forms.map((f) => f + ch);
  }
  return forms.filter((f) => f !== word);
}

/**
 * Words keyed by their first two UTF-16 units (one-unit words in a set of codes), so a lookup makes
 * no substring and compares only the few words that share the first two characters.
 */
class WordIndex {
  private readonly single = new Set<number>();
  /** Words of two or more units, longest first. */
  private readonly byTwo = new Map<number, string[]>();

  add(word: string): void {
    if (!word) return;
    if (word.length === 1) {
      this.single.add(word.charCodeAt(0));
      return;
    }
    const key = word.charCodeAt(0) * 0x10000 + word.charCodeAt(1);
    const list = this.byTwo.get(key) ?? [];
    if (!list.includes(word)) list.push(word);
    list.sort((a, b) => b.length - a.length);
    this.byTwo.set(key, list);
  }

  /** Length of the longest word starting at `i` in `text`, or 0. */
  longestAt(text: string, i: number): number {
    const c0 = text.charCodeAt(i);
    if (Number.isNaN(c0)) return 0;
    const c1 = text.charCodeAt(i + 1);
    if (!Number.isNaN(c1)) {
      const list = this.byTwo.get(c0 * 0x10000 + c1);
      if (list) for (const w of list) if (text.startsWith(w, i)) return w.length;
    }
    return this.single.has(c0) ? 1 : 0;
  }
}
