import type { RuleFamily } from '../types.js';

/** 形式名詞 written in kanji → kana, only where the morpheme is a formal (non-independent) noun: 事故, 時間, 場所 stay. */
const FORMAL_NOUNS: Record<string, string> = {
  事: 'こと',
  時: 'とき',
  為: 'ため',
  様: 'よう',
  所: 'ところ',
  物: 'もの',
  訳: 'わけ',
  筈: 'はず',
  故: 'ゆえ',
};

/** 時 naming a point in time (効力を生じた時から, …の時まで) stays in kanji, as in statutes. */
const POINT_IN_TIME_AFTER = new Set(['から', 'まで', '以降', '以後', '現在', '点']);

export const keishikiMeishi: RuleFamily = {
  id: 'keishiki-meishi',
  title: '形式名詞はひらがな / formal nouns in kana',
  check({ tokens }) {
    return tokens
      .filter((t) => t.pos === '名詞' && t.pos1 === '非自立' && FORMAL_NOUNS[t.surface] !== undefined)
      .filter((t) => !(t.surface === '時' && POINT_IN_TIME_AFTER.has(tokens[tokens.indexOf(t) + 1]?.surface ?? '')))
      .map((t) => ({
        start: t.start,
        end: t.end,
        suggestion: FORMAL_NOUNS[t.surface]!,
        message: `形式名詞「${t.surface}」は仮名で「${FORMAL_NOUNS[t.surface]}」と書きます / write the formal noun in kana`,
        fix: true,
      }));
  },
};
