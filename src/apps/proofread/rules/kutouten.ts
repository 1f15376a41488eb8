import { isJapanese } from '../morphology.js';
import type { RuleFamily } from '../types.js';

const isDigit = (c: string | undefined) => !!c && /[0-9０-９]/.test(c);

/** 句読点: 読点は「、」、句点は「。」 (not 「，」「．」 or ASCII , . after Japanese), and no doubled marks. */
export const kutouten: RuleFamily = {
  id: 'kutouten',
  title: '句読点 / punctuation',
  check({ text }) {
    const out = [];
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      const before = text[i - 1];
      const after = text[i + 1];
      if ((c === '，' || c === '．') && !(isDigit(before) && isDigit(after))) {
        const s = c === '，' ? '、' : '。';
        out.push({ start: i, end: i + 1, suggestion: s, message: `「${c}」ではなく「${s}」を用います / use ${s} as Japanese punctuation`, fix: true });
      } else if ((c === ',' || c === '.') && isJapanese(before) && !isDigit(after) && !/[A-Za-z.]/.test(after ?? '')) {
        const s = c === ',' ? '、' : '。';
        out.push({ start: i, end: i + 1, suggestion: s, message: `日本文の中の半角「${c}」は「${s}」にします / use ${s} inside Japanese text`, fix: true });
      } else if ((c === '、' || c === '。') && (after === '、' || after === '。')) {
        let j = i + 1;
        while (text[j] === '、' || text[j] === '。') j++;
        const keep = text[j - 1] === '。' || c === '。' ? '。' : '、';
        out.push({ start: i, end: j, suggestion: keep, message: `句読点が重なっています / doubled punctuation`, fix: true });
        i = j - 1;
      }
    }
    return out;
  },
};
