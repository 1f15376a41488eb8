import { previous, toHiragana } from '../morphology.js';
import type { RuleFamily, Token } from '../types.js';

/** Verbs that, right after 〜て/〜で, are auxiliary (補助動詞) and written in kana. */
const AFTER_TE = new Set(['行く', '来る', '見る', '置く', '頂く', '下さる', '上げる', '貰う', '居る', '仕舞う', '差し上げる', '頂ける']);
/** Verbs written in kana whenever they are non-independent (お願い致します, ご覧下さい). */
const NON_INDEPENDENT = new Set(['致す', '下さる', '頂く']);
/** …and right after a noun (サ変, or after お・ご・御): ご理解下さい, ご協力頂き, 御利用頂けません. */
const AFTER_NOUN = new Set([...NON_INDEPENDENT, '頂ける']);

const hasKanji = (s: string) => /[\u3400-\u9fff]/.test(s);

/**
 * 行っ after て is 行く (進めて行って) or 行う (連携して行っています, 範囲を超えて行ってはならない): the morphology
 * cannot tell, and changing 行う to いっ changes the meaning, so 行っ is left alone (行き・行か・行こ are 行く).
 */
const AMBIGUOUS = new Set(['行っ']);

function isAuxiliary(t: Token, prev: Token | undefined, beforePrev: Token | undefined): boolean {
  if (t.pos !== '動詞' || !hasKanji(t.surface) || !t.reading) return false;
  if (prev && prev.pos === '助詞' && prev.pos1 === '接続助詞' && (prev.surface === 'て' || prev.surface === 'で') && AFTER_TE.has(t.base)) return !AMBIGUOUS.has(t.surface);
  if (t.pos1 === '非自立' && NON_INDEPENDENT.has(t.base)) return true;
  // ご理解下さい, ご協力頂き, 御案内致します: right after a noun (サ変, or with お・ご・御) they are auxiliary too;
  // after a particle (資料を下さい, 賞を頂く) they are the verbs give / receive and stay.
  return (
    AFTER_NOUN.has(t.base) &&
    !!prev &&
    prev.end === t.start &&
    prev.pos === '名詞' &&
    (prev.pos1 === 'サ変接続' || beforePrev?.pos === '接頭詞')
  );
}

export const hojoDoushi: RuleFamily = {
  id: 'hojo-doushi',
  title: '補助動詞はひらがな / auxiliary verbs in kana',
  check({ tokens }) {
    const out = [];
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (!isAuxiliary(t, previous(tokens, i), tokens[i - 2])) continue;
      const kana = toHiragana(t.reading);
      out.push({ start: t.start, end: t.end, suggestion: kana, message: `補助動詞「${t.surface}」は仮名で「${kana}」と書きます / write the auxiliary verb in kana`, fix: true });
    }
    return out;
  },
};
