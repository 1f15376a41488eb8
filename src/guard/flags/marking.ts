import type { Confidentiality } from '../../core/types.js';
import type { FlagDetail } from '../types.js';
import type { FlagRule } from './types.js';

/**
 * Government confidentiality markings. 「秘」 counts only as a stand-alone mark, never inside 秘書 or 秘密.
 * `need`: every match contains one of these strings, so the regex runs only when the text has one.
 */
const MARKINGS: { re: RegExp; need: readonly string[]; level: (m: RegExpExecArray) => Confidentiality }[] = [
  { re: /機密性 ?([123])(?: ?情報)?/g, need: ['機密性'], level: (m) => Number(m[1]) as Confidentiality },
  { re: /取扱注意|取り扱い注意|取扱い注意|部外秘|関係者外秘|庁内限り|関係者限り/g, need: ['注意', '秘', '限り'], level: () => 2 },
  { re: /(?:極秘|厳秘)|(?<=^|[\s【〔［\[(（「『<＜])秘(?=$|[\s】〕］\])）」』>＞])/gm, need: ['秘'], level: () => 3 },
];

export const markingRule: FlagRule = {
  flag: 'confidentiality_marking',
  detect(ctx) {
    const out: FlagDetail[] = [];
    for (const { re, need, level } of MARKINGS) {
      if (!need.some((w) => ctx.folded.includes(w))) continue;
      re.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = re.exec(ctx.folded))) {
        const lv = level(m);
        out.push({ flag: 'confidentiality_marking', reason: `表示「${m[0]}」→ 機密性${lv}`, start: m.index, end: m.index + m[0].length, level: lv, score: 1 });
      }
    }
    return out;
  },
};
