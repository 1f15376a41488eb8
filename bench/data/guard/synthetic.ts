import { isValidCorporateNumber, isValidMyNumber, withCorporateCheckDigit, withMyNumberCheckDigit } from '../../../src/guard/checks/check-digits.js';
import type { LabelledDoc } from './load.js';

/** Seeded PRNG (mulberry32): the same set every run. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FULL = (s: string) => s.replace(/[0-9-]/g, (c) => (c === '-' ? '－' : String.fromCharCode(c.charCodeAt(0) + 0xfee0)));

function format(n: string, style: number): string {
  const g = n.length === 12 ? [n.slice(0, 4), n.slice(4, 8), n.slice(8)] : [n.slice(0, 1), n.slice(1, 5), n.slice(5, 9), n.slice(9)];
  if (style === 1) return g.join('-');
  if (style === 2) return g.join(' ');
  if (style === 3) return FULL(n);
  return n;
}

const MY_CONTEXT = ['個人番号：', 'マイナンバー ', '本人の個人番号（マイナンバー）は', '個人番号欄　', '扶養親族の個人番号 '];
const CORP_CONTEXT = ['法人番号：', '法人番号 ', '当社の法人番号は', '適格請求書発行事業者登録番号 T'];
const NEG_CONTEXT = ['文書番号 ', '受付番号：', '整理番号', '注文番号 ', 'お問い合わせ番号 ', '番号 ', '', '伝票No.', 'ID: ', '会員番号：', '管理コード ', 'JANコード ', '契約番号 '];
const TAIL = ['について確認しました。', 'の件でご連絡します。', '。', '（控え）', ' を参照'];
const NEG_TAIL = [...TAIL, '円の請求', '件'];

export interface SyntheticSet {
  docs: LabelledDoc[];
  /** Unlabelled 12/13-digit look-alikes (every one of them must stay undetected). */
  lookAlikes: { text: string; start: number; end: number; checkValid: boolean }[];
}

export function syntheticNumbers(seed = 20240601): SyntheticSet {
  const r = rng(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  const digits = (k: number) => Array.from({ length: k }, () => Math.floor(r() * 10)).join('');
  const docs: LabelledDoc[] = [];
  const lookAlikes: SyntheticSet['lookAlikes'] = [];
  const doc = (id: string, before: string, span: string, after: string, type: 'my_number' | 'corporate_number' | null) => {
    const text = before + span + after;
    docs.push({ id, kind: 'synthetic', text, spans: type ? [{ type, start: before.length, end: before.length + span.length, text: span }] : [] });
    return { start: before.length, end: before.length + span.length, text };
  };
  for (let i = 0; i < 60; i++) doc(`syn-my-${i}`, pick(MY_CONTEXT), format(withMyNumberCheckDigit(digits(11)), i % 4), pick(TAIL), 'my_number');
  for (let i = 0; i < 40; i++) {
    const ctx = pick(CORP_CONTEXT);
    const n = withCorporateCheckDigit(digits(12));
    doc(`syn-corp-${i}`, ctx, ctx.endsWith('T') ? n : format(n, i % 2 ? 0 : 3), pick(TAIL), 'corporate_number');
  }
  // Personal context, but the check digit is wrong: a typo, not a My Number.
  for (let i = 0; i < 40; i++) {
    let n = digits(12);
    while (isValidMyNumber(n)) n = digits(12);
    doc(`syn-my-invalid-${i}`, pick(MY_CONTEXT), format(n, i % 4), pick(TAIL), null);
  }
  // Unlabelled look-alikes: random, and (harder) forced to a valid check digit.
  for (let i = 0; i < 800; i++) {
    const len = i % 2 ? 13 : 12;
    const forced = i % 4 >= 2;
    const n = len === 12 ? (forced ? withMyNumberCheckDigit(digits(11)) : digits(12)) : forced ? withCorporateCheckDigit(digits(12)) : digits(13);
    const style = i % 8 < 4 ? 0 : (i % 3) + 1;
    const d = doc(`syn-neg-${i}`, pick(NEG_CONTEXT), format(n, style), pick(NEG_TAIL), null);
    lookAlikes.push({ ...d, checkValid: len === 12 ? isValidMyNumber(n) : isValidCorporateNumber(n) });
  }
  return { docs, lookAlikes };
}
