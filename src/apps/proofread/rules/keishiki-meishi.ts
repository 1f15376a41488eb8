import type { RuleFamily, Token } from '../types.js';

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

/**
 * 時 is the formal とき where it states a condition — 〜した時は、〜する時には、〜の時も — and is then written
 * in kana. Elsewhere it names a point in time (効力を生じた時から, 記録された時に到達したものとみなす,
 * 就任した時において, 掲げる時をもって) or time itself (時の経過), written 時 in 公用文 and 法令 alike.
 */
const CONDITION_AFTER = new Set(['は', 'も', 'でも', '、']);

/**
 * 物 is a concrete thing (附属させた物を買い取る, 相当する物の引渡し) — written in kanji in 公用文 and 法令 alike;
 * only the formal もの of 〜ものとする, 〜ものである, 〜ものです, 〜ものか is written in kana.
 */
const FORMAL_MONO_BEFORE = new Set(['と', 'で', 'だ', 'です', 'でし', 'でしょ', 'では', 'でも', 'か', 'なら', 'ならば']);

function isFormal(t: Token, next: Token | undefined, afterNext: Token | undefined): boolean {
  if (t.surface === '時') return CONDITION_AFTER.has(next?.surface ?? '') || (next?.surface === 'に' && /^[はも]$/.test(afterNext?.surface ?? ''));
  if (t.surface === '物') {
    // 物とする / 物となる are formal; 他の物と区別して is a thing.
    if (next?.surface === 'と') return /^(する|し|さ|なる|なり|なっ)$/.test(afterNext?.surface ?? '');
    return FORMAL_MONO_BEFORE.has(next?.surface ?? '');
  }
  return true;
}

export const keishikiMeishi: RuleFamily = {
  id: 'keishiki-meishi',
  title: '形式名詞はひらがな / formal nouns in kana',
  check({ tokens }) {
    const out = [];
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      const kana = FORMAL_NOUNS[t.surface];
      if (kana === undefined || t.pos !== '名詞' || t.pos1 !== '非自立' || !isFormal(t, tokens[i + 1], tokens[i + 2])) continue;
      out.push({ start: t.start, end: t.end, suggestion: kana, message: `形式名詞「${t.surface}」は仮名で「${kana}」と書きます / write the formal noun in kana`, fix: true });
    }
    for (let i = 1; i < tokens.length; i++) {
      // 〜した通り, 〜する通り: 通り after a verb or た is the formal とおり (the 〜の通り form is in the wording dictionary).
      const t = tokens[i]!;
      const prev = tokens[i - 1]!;
      if (t.surface === '通り' && t.pos === '名詞' && prev.end === t.start && (prev.pos === '動詞' || (prev.pos === '助動詞' && /^[ただ]$/.test(prev.surface)))) {
        out.push({ start: t.start, end: t.end, suggestion: 'とおり', message: '「通り」は「〜したとおり」の意味では仮名で「とおり」と書きます / write toori (as, in the way) in kana', fix: true });
      }
    }
    return out;
  },
};
