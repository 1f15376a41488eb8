import { toShinjitai } from './itaiji.js';

/**
 * Kanji numerals as used in statutes (第三十六条の二, 第百二十三条) → numbers.
 * Handles 〇–九, 十, 百, 千, 万 and positional forms such as 二〇二四.
 */
const DIGITS: Record<string, number> = { 〇: 0, 零: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

export const KANJI_NUMERAL_CHARS = '〇零一二三四五六七八九十百千万';

export function kanjiToNumber(s: string): number | null {
  if (!s) return null;
  if (/^[0-9]+$/.test(s)) return Number(s);
  // Positional (二〇二四): only digits, no units.
  if ([...s].every((ch) => ch in DIGITS)) return Number([...s].map((ch) => DIGITS[ch]).join(''));
  let total = 0;
  let section = 0;
  let current = -1;
  for (const ch of s) {
    if (ch in DIGITS) {
      current = DIGITS[ch]!;
    } else if (ch in UNITS) {
      section += (current < 0 ? 1 : current) * UNITS[ch]!;
      current = -1;
    } else if (ch === '万') {
      total += (section + (current < 0 ? 0 : current) || 1) * 10_000;
      section = 0;
      current = -1;
    } else {
      return null;
    }
  }
  return total + section + (current < 0 ? 0 : current);
}

const REF_UNIT = '編章節款目条項号';
const REF_RE = new RegExp(`第([${KANJI_NUMERAL_CHARS}]+)([${REF_UNIT}])`, 'g');
const BRANCH_RE = new RegExp(`([条章節編])の([${KANJI_NUMERAL_CHARS}]+)`, 'g');
/** 別表第一, 様式第二: appended tables and forms are numbered without a unit after the number. */
const TABLE_RE = new RegExp(`(別表|様式)第([${KANJI_NUMERAL_CHARS}]+)`, 'g');

/** 第五条の二第六項 → 第5条の2第6項, 別表第一 → 別表第1 (so kanji and Arabic references match). */
export function normalizeReferences(text: string): string {
  if (!text.includes('第') && !text.includes('の')) return text;
  return text
    .replace(TABLE_RE, (m, kind: string, num: string) => {
      const n = kanjiToNumber(num);
      return n === null ? m : `${kind}第${n}`;
    })
    .replace(REF_RE, (m, num: string, unit: string) => {
      const n = kanjiToNumber(num);
      return n === null ? m : `第${n}${unit}`;
    })
    .replace(BRANCH_RE, (m, unit: string, num: string) => {
      const n = kanjiToNumber(num);
      return n === null ? m : `${unit}の${n}`;
    });
}

/** Counters after which a kanji number is a quantity: 三十日, 五十万, 二十歳, 三箇月, 千円. */
const COUNT_RE = new RegExp(`([〇一二三四五六七八九十百千]+)(?=箇月|か月|ヶ月|ヵ月|カ月|週間|時間|日|年|月|円|人|件|回|歳|名|倍|割|万|億)`, 'g');
const HAN = /\p{Script=Han}/u;

/**
 * 三十日 → 30日, 人口五十万 → 人口50万, 二十歳 → 20歳, 三箇月 → 3か月: a kanji number before a counter, as a query
 * typed with Arabic digits writes it. A lone 一 after a kanji is a word, not a count (同一人, 統一日), and is left.
 */
export function normalizeCounts(text: string): string {
  return text
    .replace(COUNT_RE, (m: string, num: string, offset: number) => {
      if (num === '一' && offset > 0 && HAN.test(text[offset - 1]!)) return m;
      const n = kanjiToNumber(num);
      return n === null ? m : String(n);
    })
    .replace(MONTHS_RE, '$1か月'); // 3箇月 = 3ヶ月 = 3カ月 = 3か月
}

const MONTHS_RE = /(\d+)(?:箇月|ヶ月|ヵ月|カ月|ケ月)/g;

/** NFKC (full/half width), 旧字体 → 新字体 (條 → 条), lower case, references and counts with Arabic numerals. */
export function normalizeText(text: string): string {
  return normalizeCounts(normalizeReferences(toShinjitai(text.normalize('NFKC')).toLowerCase()));
}
