import type { RuleFamily } from '../types.js';

const FULL = /[０-９Ａ-Ｚａ-ｚ]+(?:[．，：][０-９]+)*/g;
const toHalf = (s: string) => s.replace(/[！-～]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));

/**
 * A paragraph or item number opening a line — 「２　行政庁は、」 (the 項番号 of statutes as e-Gov prints them),
 * 「１　趣旨」, 「（１）　対象」 — is the layout of the document's numbering, which 公用文 leaves to each office
 * (全角・半角 of heading numbers is a house rule), not a number in the running text: it is not flagged.
 */
function isLineNumber(text: string, start: number, end: number): boolean {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const before = text.slice(lineStart, start);
  const after = text[end];
  if (/^[\s　]*$/.test(before)) return /^[0-9０-９]/.test(text[start]!) && (after === '　' || after === ' ');
  return /^[\s　]*（$/.test(before) && after === '）' && /^[０-９]+$/.test(text.slice(start, end));
}

/**
 * 算用数字とアルファベットは半角 (full-width digits and Latin letters → half-width, with a decimal point or thousands
 * separator inside a number); katakana the other way: half-width ｶﾀｶﾅ → full-width.
 */
export const hankaku: RuleFamily = {
  id: 'hankaku',
  title: '算用数字と英字は半角 / half-width digits and letters',
  check({ text }) {
    const out = [];
    for (const m of text.matchAll(FULL)) {
      if (/^[０-９]+$/.test(m[0]) && isLineNumber(text, m.index, m.index + m[0].length)) continue;
      const half = toHalf(m[0]);
      out.push({ start: m.index, end: m.index + m[0].length, suggestion: half, message: `全角の「${m[0]}」は半角で「${half}」と書きます / use half-width digits and letters`, fix: true });
    }
    // 半角カタカナ (ｶﾞｲﾄﾞ, pasted from old systems) is not used in 公用文: full-width katakana, 濁点 joined.
    for (const m of text.matchAll(/[\uff61-\uff9f]+/g)) {
      const full = m[0].normalize('NFKC');
      out.push({ start: m.index, end: m.index + m[0].length, suggestion: full, message: `半角の「${m[0]}」は全角で「${full}」と書きます（半角カタカナは用いません） / use full-width katakana and marks`, fix: true });
    }
    return out;
  },
};
