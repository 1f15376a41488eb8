import type { RuleFamily } from '../types.js';

/** Ra-less potentials the dictionary holds as single words (見れる, 来れる …) → the correct ら-form. */
const LEXICAL: Record<string, string> = { 見れ: '見られ', 来れ: '来られ', 着れ: '着られ', 出れ: '出られ', 居れ: '居られ', 寝れ: '寝られ', 似れ: '似られ', 煮れ: '煮られ' };

/**
 * ら抜き言葉: an ichidan (一段) or kuru stem directly followed by the suffix れる (食べ+れる, 考え+れる),
 * or one of the lexicalised forms above. Godan potentials (帰れる, 取れる) and passives (書か+れる) are correct.
 */
export const ranuki: RuleFamily = {
  id: 'ranuki',
  title: 'ら抜き言葉 / ra-less potential',
  check({ tokens }) {
    const out = [];
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      const next = tokens[i + 1];
      const ichidanStem = t.pos === '動詞' && t.pos1 === '自立' && t.base.endsWith('る') && t.surface === t.base.slice(0, -1) && t.surface.length > 0;
      if (ichidanStem && next && next.start === t.end && next.pos === '動詞' && next.pos1 === '接尾' && next.base === 'れる') {
        const fixed = t.surface + 'ら' + next.surface;
        out.push({ start: t.start, end: next.end, suggestion: fixed, message: `ら抜き言葉です。「${fixed}」とします / ra-less potential: keep the ra`, fix: true });
        i++;
        continue;
      }
      if (t.pos === '動詞' && t.base.endsWith('れる')) {
        const stem = Object.keys(LEXICAL).find((k) => t.surface.startsWith(k) && t.base === k + 'る');
        if (stem) {
          const fixed = LEXICAL[stem]! + t.surface.slice(stem.length);
          out.push({ start: t.start, end: t.end, suggestion: fixed, message: `ら抜き言葉です。「${fixed}」とします / ra-less potential: keep the ra`, fix: true });
        }
      }
    }
    return out;
  },
};
