import type { RuleFamily } from '../types.js';

type Endings = Record<string, string>;

/** ラ行五段 (なる, 召し上がる): なられます → なります. */
const RA_GODAN: Endings = { ました: 'りました', ます: 'ります', た: 'った', て: 'って', る: 'る', ない: 'らない' };
/** おっしゃる / いらっしゃる take い before ます: おっしゃいます. */
const IRREGULAR: Endings = { ました: 'いました', ます: 'います', た: 'った', て: 'って', る: 'る', ない: 'らない' };

/**
 * 二重敬語: an honorific verb made honorific again with 〜れる/〜られる:
 * お越しになられる, ご覧になられる, おっしゃられる, いらっしゃられる, 召し上がられる.
 * The span is the doubled part (なられ…, られ…); the suggestion its single-honorific form.
 */
const PATTERNS: { re: RegExp; prefix: string; endings: Endings }[] = [
  { re: /(?<=(?:お|ご|御)[^\s、。「」]{1,8}?に)なられ(ました|ます|ない|た|て|る)/g, prefix: 'な', endings: RA_GODAN },
  { re: /(?<=(?:おっしゃ|いらっしゃ))られ(ました|ます|ない|た|て|る)/g, prefix: '', endings: IRREGULAR },
  { re: /(?<=召し上が)られ(ました|ます|ない|た|て|る)/g, prefix: '', endings: RA_GODAN },
];

export const nijuuKeigo: RuleFamily = {
  id: 'nijuu-keigo',
  title: '二重敬語 / double honorifics',
  check({ text }) {
    const out = [];
    for (const p of PATTERNS) {
      for (const m of text.matchAll(p.re)) {
        const fixed = p.prefix + p.endings[m[1]!]!;
        out.push({
          start: m.index,
          end: m.index + m[0].length,
          suggestion: fixed,
          message: `二重敬語です（尊敬語に「れる・られる」を重ねています）。「${m[0]}」→「${fixed}」 / double honorific`,
          fix: true,
        });
      }
    }
    return out;
  },
};
