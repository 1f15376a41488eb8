import type { RuleFamily } from '../types.js';

/** Adverbs and conjunctions written in kana in 公用文 (surface → kana), with the parts of speech they must have. */
const TO_KANA: Record<string, { kana: string; pos: string[] }> = {
  但し: { kana: 'ただし', pos: ['接続詞'] },
  尚: { kana: 'なお', pos: ['接続詞', '副詞'] },
  従って: { kana: 'したがって', pos: ['接続詞'] },
  予め: { kana: 'あらかじめ', pos: ['副詞'] },
  概ね: { kana: 'おおむね', pos: ['副詞', '名詞'] },
  殆ど: { kana: 'ほとんど', pos: ['副詞', '名詞'] },
  且つ: { kana: 'かつ', pos: ['接続詞', '副詞'] },
  即ち: { kana: 'すなわち', pos: ['接続詞'] },
  然し: { kana: 'しかし', pos: ['接続詞'] },
  然しながら: { kana: 'しかしながら', pos: ['接続詞'] },
  故に: { kana: 'ゆえに', pos: ['接続詞'] },
  又: { kana: 'また', pos: ['接続詞'] },
  尚且つ: { kana: 'なおかつ', pos: ['接続詞', '副詞'] },
  先ず: { kana: 'まず', pos: ['副詞'] },
};

/** The four conjunctions 公用文 writes in kanji. */
const TO_KANJI: Record<string, string> = { および: '及び', ならびに: '並びに', または: '又は', もしくは: '若しくは' };

export const fukushiSetsuzokushi: RuleFamily = {
  id: 'fukushi-setsuzokushi',
  title: '副詞・接続詞の表記 / adverbs and conjunctions',
  check({ text, tokens }) {
    const out = [];
    for (const t of tokens) {
      const kana = TO_KANA[t.surface];
      if (kana && kana.pos.includes(t.pos)) {
        out.push({ start: t.start, end: t.end, suggestion: kana.kana, message: `「${t.surface}」は仮名で「${kana.kana}」と書きます / write this adverb or conjunction in kana`, fix: true });
        continue;
      }
      const kanji = TO_KANJI[t.surface];
      // kuromoji tags および as 接続詞 or 接続助詞; the verb およぶ (被害がおよびます) is 動詞 and stays.
      if (kanji && (t.pos === '接続詞' || (t.pos === '助詞' && t.pos1 === '接続助詞'))) {
        out.push({ start: t.start, end: t.end, suggestion: kanji, message: `接続詞「${t.surface}」は漢字で「${kanji}」と書きます / the conjunctions oyobi, narabini, mata wa and moshiku wa are written in kanji`, fix: true });
      }
    }
    // 予め / 概ね / 殆ど split by the tokenizer in some contexts: check the surface at morpheme starts too.
    const starts = new Set(tokens.map((t) => t.start));
    for (const word of ['予め', '概ね', '殆ど']) {
      for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
        if (!starts.has(i) || out.some((o) => o.start === i)) continue;
        out.push({ start: i, end: i + word.length, suggestion: TO_KANA[word]!.kana, message: `「${word}」は仮名で「${TO_KANA[word]!.kana}」と書きます / write this adverb in kana`, fix: true });
      }
    }
    return out;
  },
};
