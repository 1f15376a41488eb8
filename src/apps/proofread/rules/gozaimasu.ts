import type { RuleFamily, Token } from '../types.js';

const PLAIN: Record<string, string> = { ございます: 'あります', ございません: 'ありません', ございました: 'ありました', ございまして: 'ありまして' };
const WITH_DE: Record<string, string> = { でございます: 'です', でございました: 'でした', でございまして: 'でして', ではございません: 'ではありません', でもございません: 'でもありません' };

/** Set phrases where ございます stays: ありがとうございます, おはようございます, おめでとうございます, よろしゅうございます. */
function isSetPhrase(prev: Token | undefined): boolean {
  return !!prev && (prev.pos === '感動詞' || prev.pos === '形容詞' || /[うゅ]う$/.test(prev.surface));
}

/** 「ございます」は用いない (公用文作成の考え方): でございます → です, ございます → あります. */
export const gozaimasu: RuleFamily = {
  id: 'gozaimasu',
  title: '「ございます」 / avoid ございます',
  check({ text, tokens }) {
    const out = [];
    // The morpheme ending at each offset, built once: a lookup per match keeps long inputs linear.
    const endingAt = new Map(tokens.map((t) => [t.end, t]));
    for (const m of text.matchAll(/(では|でも|で)?ござい(ます|ません|ました|まして)/g)) {
      const start = m.index;
      if (!m[1] && isSetPhrase(endingAt.get(start))) continue;
      const table = m[1] ? WITH_DE : PLAIN;
      const fixed = table[m[0]];
      if (!fixed) continue;
      out.push({ start, end: start + m[0].length, suggestion: fixed, message: `公用文では「${m[0]}」を用いず「${fixed}」とします / avoid gozaimasu in official writing`, fix: true });
    }
    return out;
  },
};
