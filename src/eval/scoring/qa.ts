import { containsAnswer } from '../text/normalize.js';
import type { ItemOf } from '../suite/schema.js';
import type { Scorer } from '../types.js';
import { firstCall, userPrompt } from './common.js';

/** Closed-book (or collection-backed) question: correct when the reply contains the answer or an accepted form. */
export const qaScorer: Scorer<ItemOf<'qa'>> = {
  prompts: (item) => [userPrompt(item.input, '質問に日本語で簡潔に答えてください。答えが分からない場合は「分かりません」と答えてください。')],
  score(item, calls) {
    const call = firstCall(calls);
    const accepted = [item.expected.answer, ...item.expected.accept];
    const hit = call.blocked ? null : containsAnswer(call.content, accepted);
    return {
      correct: hit !== null,
      score: hit !== null ? 1 : 0,
      abstained: call.abstained,
      evidence: call.blocked
        ? [`blocked by the pipeline: ${call.blocked.message}`]
        : [hit !== null ? `contains 「${hit}」` : `none of ${accepted.map((a) => `「${a}」`).join(' ')} in the reply`],
    };
  },
};
