import { normalizeAnswer } from '../text/normalize.js';
import type { ItemOf } from '../suite/schema.js';
import type { Scorer } from '../types.js';
import { firstCall } from './common.js';

const INSTRUCTION = '次の問いに対し、選択肢から最も適切なものを一つ選び、その番号と選択肢をそのまま答えてください（例: 「2. 〇〇」）。';

/** Which choice a reply picked: a leading number, else the choice text that appears first. -1 when none. */
export function pickedChoice(reply: string, choices: string[]): number {
  const t = reply.normalize('NFKC').trim();
  const lead = /^(?:答え[:：は]?\s*)?\(?(\d{1,2})[.)．、:\s]/u.exec(t + ' ');
  if (lead) {
    const n = Number(lead[1]) - 1;
    if (n >= 0 && n < choices.length) return n;
  }
  const norm = normalizeAnswer(t);
  let best = -1;
  let bestPos = Infinity;
  let bestLen = 0;
  choices.forEach((c, i) => {
    const nc = normalizeAnswer(c);
    if (!nc) return;
    const pos = norm.indexOf(nc);
    if (pos < 0) return;
    if (pos < bestPos || (pos === bestPos && nc.length > bestLen)) {
      best = i;
      bestPos = pos;
      bestLen = nc.length;
    }
  });
  return best;
}

/** Multiple choice: correct when the reply picks the expected choice. */
export const choiceScorer: Scorer<ItemOf<'choice'>> = {
  prompts: (item) => [
    {
      messages: [
        { role: 'system', content: INSTRUCTION },
        { role: 'user', content: `${item.input}\n\n${item.choices.map((c, i) => `${i + 1}. ${c}`).join('\n')}` },
      ],
      query: item.input,
    },
  ],
  score(item, calls) {
    const call = firstCall(calls);
    const want = typeof item.expected.choice === 'number' ? item.expected.choice : item.choices.indexOf(item.expected.choice);
    const got = call.blocked ? -1 : pickedChoice(call.content, item.choices);
    return {
      correct: got === want,
      score: got === want ? 1 : 0,
      abstained: call.abstained,
      evidence: [`picked ${got < 0 ? 'none' : `${got + 1}. ${item.choices[got]}`}; expected ${want + 1}. ${item.choices[want]}`],
    };
  },
};
