import prefectures from '../data/prefectures.json' with { type: 'json' };
import { cueBefore, makeFinding, matches } from './context.js';
import type { PiiRule } from './types.js';

const W = '[\\p{Script=Han}\\p{Script=Katakana}ヶケノー]';
const KN = '[一二三四五六七八九十]+';
const PREF = `(?:${prefectures.entries.join('|')})`;
const CW = '[\\p{Script=Han}\\p{Script=Katakana}ヶケノーぁ-ん]';
const CITY = `(?:${W}{1,5}?郡)?${CW}{1,6}?[市区町村](?: ?${W}{1,4}?区)?`;
/** 町名: kanji, katakana, and hiragana inside names (霞が関, 自由が丘, つくし野). */
const TOWN = `(?:${W}|[ぁ-ゖ]|\\d+条){0,10}?`;
/** Between parts: one space (an ideographic space, after normalisation). */
const SP = ' ?';
const BLOCK = `(?:(?:\\d+|${KN})丁目 ?(?:\\d+(?:番地?|-)?(?:\\d+号?)?)?|\\d+(?:-\\d+){1,3}(?:号)?|\\d+番地?(?:\\d+号?)?(?:の\\d+)?)`;
const BKEY = '(?:ビル|マンション|ハイツ|コーポ|アパート|荘|ハイム|メゾン|レジデンス|タワー|住宅|団地|コート|パレス)';
const BUILDING = `(?: ?[\\p{Script=Han}\\p{Script=Katakana}ー・A-Za-z]{1,16}? ?\\d{1,4}(?:号室|号|階|F)| ?${W}{1,14}?${BKEY}| ?\\d{1,4}号室)?`;

/** 都道府県 + 市区町村 + 町名 + 番地 + 建物; the prefecture or the block may be missing, not both. */
export const ADDRESS_RE = new RegExp(`(${PREF})?${SP}(${CITY})(?:${SP}(${TOWN})${SP}(${BLOCK}))?(${BUILDING})`, 'gu');
const PREF_RE = new RegExp(PREF, 'g');
/** Cities written in hiragana, at the end of a hiragana run. */
const HIRAGANA_CITY = /(?:さいたま|つくばみらい|つくば|ひたちなか|かすみがうら|いわき|いなべ|みどり|みやま|うきは|えびの|あわら|かほく|むつ|ときがわ|みなかみ|にかほ|たつの|さくら|いすみ|みよし)$/;
const LEADING_CUE = /^(?:現?住所|所在地|居所|送付先|本籍地?|勤務先)/u;
const CUE = /住所|所在地|居所|送付先|本籍|在住|お住まい/;
/** Offices and facilities named after a place are not addresses (港区役所, 市役所). */
const FACILITY_AFTER = /^(役所|役場|議会|長|民|立|内|外|営|政|職員|教育委員会|社会福祉協議会)/u;

/** Sticky form, tried only just before a 市/区/町/村/郡 (rare characters), so the hot path stays fast. */
const ADDRESS_STICKY = new RegExp(ADDRESS_RE.source, 'uy');
const ANCHOR_RE = /[市区町村郡]/g;
const MAX_LEAD = 10;

/** Address matches found by trying the sticky regex at the starts that could reach each anchor. */
function* addressMatches(folded: string): Generator<RegExpExecArray> {
  let covered = 0;
  for (const a of matches(folded, ANCHOR_RE)) {
    if (a.index < covered) continue;
    const from = Math.max(covered, a.index - MAX_LEAD);
    // A prefecture just before the anchor starts the address (住所は東京都港区…: not at 所 or は).
    const starts: number[] = [];
    for (const p of matches(folded.slice(from, a.index), PREF_RE)) starts.push(from + p.index);
    for (let start = from; start < a.index; start++) starts.push(start);
    for (const start of starts) {
      ADDRESS_STICKY.lastIndex = start;
      const m = ADDRESS_STICKY.exec(folded);
      if (!m || m.index + m[0].length <= a.index) continue;
      covered = m.index + m[0].length;
      yield m;
      break;
    }
  }
}

export const addressRule: PiiRule = {
  type: 'address',
  label: '住所',
  detect(ctx) {
    const out = [];
    for (const m of addressMatches(ctx.folded)) {
      let start = m.index;
      let text = m[0];
      const lead = LEADING_CUE.exec(text);
      if (lead) {
        start += lead[0].length;
        text = text.slice(lead[0].length);
      }
      // Without a prefecture the city may have swallowed the words before it (住所は港区…): hiragana
      // before a kanji city are not part of it, unless they end in a city written in hiragana.
      const run = m[1] ? null : /^[ぁ-ゖ]+/.exec(text);
      if (run) {
        const city = HIRAGANA_CITY.exec(run[0]);
        const cut = run[0].length - (city ? city[0].length : 0);
        start += cut;
        text = text.slice(cut);
      }
      const pref = !!m[1];
      const block = !!m[4];
      const end = m.index + m[0].length;
      if (!block && FACILITY_AFTER.test(ctx.folded.slice(end, end + 8))) continue;
      const cue = !!lead || cueBefore(ctx.folded, start, CUE, 10);
      if (!block && !(pref && cue)) continue;
      if (!pref && !block) continue;
      const trimmed = text.replace(/\s+$/u, '');
      out.push(makeFinding(ctx, 'address', start, start + trimmed.length, block ? (pref ? 0.95 : 0.85) : 0.7));
    }
    return out;
  },
};
