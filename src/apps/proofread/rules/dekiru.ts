import { toHiragana } from '../morphology.js';
import type { RuleFamily } from '../types.js';

/** 「出来る」 as a verb → 「できる」; nouns such as 出来事, 出来高, 出来栄え are left alone. */
export const dekiru: RuleFamily = {
  id: 'dekiru',
  title: '「できる」は仮名 / write dekiru in kana',
  check({ tokens }) {
    return tokens
      .filter((t) => t.pos === '動詞' && t.base === '出来る' && t.surface.startsWith('出来'))
      .map((t) => {
        const kana = t.reading ? toHiragana(t.reading) : 'でき' + t.surface.slice(2);
        return { start: t.start, end: t.end, suggestion: kana, message: `「${t.surface}」は仮名で「${kana}」と書きます / write dekiru in kana`, fix: true };
      });
  },
};
