import type { RuleFamily, Token } from '../types.js';

/**
 * 公用文の送り仮名 (「公用文における漢字使用等について」2 (1) イ, 平成22年内閣訓令第1号): compound nouns that
 * cannot be misread drop their okurigana — 申込み, 取扱い, 届出, 問合せ, 手続 … — while the verbs keep it
 * (申し込む, お問い合わせください). Full form → 公用文 form.
 */
const COMPOUND_NOUNS: Record<string, string> = {
  申し込み: '申込み', 取り扱い: '取扱い', 届け出: '届出', 問い合わせ: '問合せ', 問い合せ: '問合せ', 問合わせ: '問合せ',
  打ち合わせ: '打合せ', 手続き: '手続', 申し出: '申出', 申し立て: '申立て', 申し入れ: '申入れ', 申し合わせ: '申合せ',
  引き継ぎ: '引継ぎ', 引き渡し: '引渡し', 引き受け: '引受け', 引き換え: '引換え', 引き上げ: '引上げ', 引き下げ: '引下げ',
  取り消し: '取消し', 取り決め: '取決め', 取り下げ: '取下げ', 取り調べ: '取調べ', 取り締まり: '取締り', 取り付け: '取付け',
  取り替え: '取替え', 受け取り: '受取', 受け入れ: '受入れ', 受け渡し: '受渡し', 払い込み: '払込み', 払い戻し: '払戻し',
  払い出し: '払出し', 売り上げ: '売上げ', 見積もり: '見積り', 立ち入り: '立入り', 立ち会い: '立会い', 立て替え: '立替え',
  締め切り: '締切り', 割り当て: '割当て', 割り増し: '割増し', 貸し付け: '貸付け', 貸し出し: '貸出し', 借り入れ: '借入れ',
  差し押さえ: '差押え', 差し止め: '差止め', 繰り越し: '繰越し', 繰り上げ: '繰上げ', 繰り下げ: '繰下げ', 切り替え: '切替え',
  組み合わせ: '組合せ', 呼び出し: '呼出し', 読み替え: '読替え', 書き換え: '書換え', 据え置き: '据置き', 見合わせ: '見合せ',
  持ち込み: '持込み', 積み立て: '積立て', 付き添い: '付添い', 話し合い: '話合い',
};

/** 「送り仮名の付け方」本則 (公用文 follows the 本則): 行なう → 行う, 表わす → 表す, 少い → 少ない … by base form: [wrong stem, right stem]. */
const VERB_STEMS: Record<string, [string, string]> = {
  行なう: ['行な', '行'], 表わす: ['表わ', '表'], 現わす: ['現わ', '現'], 現われる: ['現わ', '現'], 著わす: ['著わ', '著'],
  断わる: ['断わ', '断'], 賜わる: ['賜わ', '賜'], 少い: ['少', '少な'],
};

/** A noun use: not followed by a verb, auxiliary, て or 、 and not after を (お問い合わせください, 申し込みます, 登録を取り消し stay). */
function usedAsNoun(covered: Token[], prev: Token | undefined, next: Token | undefined): boolean {
  const last = covered[covered.length - 1]!;
  // 登録を取り消し」, 顧客に対し、申し込み、若しくは: a verb's 連用形 after を or before 、 (連用中止).
  if ((prev?.pos === '助詞' && prev.surface === 'を') || next?.surface === '、') return false;
  if (last.pos === '名詞') return !next || !(next.pos === '動詞' || next.pos === '助動詞' || (next.pos === '助詞' && next.pos1 === '接続助詞'));
  // A verb's 連用形 the dictionary lacks as a noun: a noun only before の・を・が・は・も or a noun.
  return last.pos === '動詞' && !!next && ((next.pos === '助詞' && /^(の|を|が|は|も)$/.test(next.surface)) || (next.pos === '名詞' && next.pos1 !== '接尾'));
}

export const okurigana: RuleFamily = {
  id: 'okurigana',
  title: '公用文の送り仮名 / okurigana in official writing',
  check({ text, tokens }) {
    const out = [];
    const byStart = new Map(tokens.map((t, i) => [t.start, i]));
    for (const [full, official] of Object.entries(COMPOUND_NOUNS)) {
      for (let at = text.indexOf(full); at >= 0; at = text.indexOf(full, at + 1)) {
        const first = byStart.get(at);
        if (first === undefined) continue;
        let last = first;
        while (last < tokens.length && tokens[last]!.end < at + full.length) last++;
        if (tokens[last]?.end !== at + full.length || !usedAsNoun(tokens.slice(first, last + 1), tokens[first - 1], tokens[last + 1])) continue;
        out.push({ start: at, end: at + full.length, suggestion: official, message: `名詞の「${full}」は公用文では「${official}」と書きます（公用文における漢字使用等について） / compound noun: drop the okurigana`, fix: true });
      }
    }
    for (const t of tokens) {
      const stems = VERB_STEMS[t.base];
      if (!stems || !(t.pos === '動詞' || t.pos === '形容詞') || !t.surface.startsWith(stems[0])) continue;
      const fixed = stems[1] + t.surface.slice(stems[0].length);
      out.push({ start: t.start, end: t.end, suggestion: fixed, message: `送り仮名は本則により「${fixed}」とします（送り仮名の付け方） / okurigana by the main rule`, fix: true });
    }
    return out;
  },
};
