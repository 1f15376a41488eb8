import type { RuleFamily } from '../types.js';

const FULL = /[０-９Ａ-Ｚａ-ｚ]+(?:[．，：][０-９]+)*/g;
const toHalf = (s: string) => s.replace(/[！-～]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));

/** 算用数字とアルファベットは半角 (full-width digits and Latin letters → half-width, with a decimal point or thousands separator inside a number). */
export const hankaku: RuleFamily = {
  id: 'hankaku',
  title: '算用数字と英字は半角 / half-width digits and letters',
  check({ text }) {
    return [...text.matchAll(FULL)].map((m) => {
      const half = toHalf(m[0]);
      return { start: m.index, end: m.index + m[0].length, suggestion: half, message: `全角の「${m[0]}」は半角で「${half}」と書きます / use half-width digits and letters`, fix: true };
    });
  },
};
