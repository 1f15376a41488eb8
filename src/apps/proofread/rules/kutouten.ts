import { isJapanese } from '../morphology.js';
import type { RuleFamily } from '../types.js';

const isDigit = (c: string | undefined) => !!c && /[0-9０-９]/.test(c);
const isMark = (c: string | undefined) => c === '、' || c === '。' || c === '，' || c === '．';

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
      if (isMark(c) && isMark(after)) {
        // 、、 。。 and also ，， ．， (full-width commas fixed one by one left 、、 in the corrected text).
        let j = i + 1;
        while (isMark(text[j])) j++;
        const run = text.slice(i, j);
        const keep = /[。．]/.test(run) ? '。' : '、';
        out.push({ start: i, end: j, suggestion: keep, message: `句読点が重なっています / doubled punctuation`, fix: true });
        i = j - 1;
      } else if ((c === '，' || c === '．') && !(isDigit(before) && isDigit(after))) {
        const s = c === '，' ? '、' : '。';
        out.push({ start: i, end: i + 1, suggestion: s, message: `「${c}」ではなく「${s}」を用います / use ${s} as Japanese punctuation`, fix: true });
      } else if ((c === ',' || c === '.') && isJapanese(before) && (c === ',' || !isDigit(after)) && !/[A-Za-z.]/.test(after ?? '')) {
        // After Japanese a comma is never a thousands separator (開始し,12時に); a dot before a digit may be 第1.2版's.
        const s = c === ',' ? '、' : '。';
        out.push({ start: i, end: i + 1, suggestion: s, message: `日本文の中の半角「${c}」は「${s}」にします / use ${s} inside Japanese text`, fix: true });
      }
    }
    return out;
  },
};
