import { containsAnswer } from '../text/normalize.js';
import type { ItemOf } from '../suite/schema.js';
import type { CallOutcome, Scorer } from '../types.js';
import { checkGroundedness, type CitedPassage } from './groundedness.js';
import { firstCall, userPrompt } from './common.js';

/** The passages an answer cites, resolved against what it was given (the citation's quote when not found). */
export function citedPassages(call: CallOutcome): CitedPassage[] {
  return call.citations.map((c) => {
    const p = call.passages.find((x) => x.source === c.source && x.chunk === c.chunk);
    return { source: c.source, chunk: c.chunk, text: p?.text ?? c.quote };
  });
}

const matchesSource = (cited: { source: string; chunk: number }, expected: string) => {
  const [src, chunk] = expected.split('#');
  return (cited.source === src || cited.source.endsWith(`/${src}`)) && (chunk === undefined || String(cited.chunk) === chunk);
};

/**
 * A question over a collection. Answerable items: correct when the answer contains the expected answer;
 * citation accuracy from the cited sources; hallucination when a sentence is not supported by the cited
 * passages (groundedness.ts). Unanswerable items (`abstain: true`): correct only when the model abstains;
 * answering anyway counts as a hallucination.
 */
export const ragScorer: Scorer<ItemOf<'rag'>> = {
  prompts: (item) => [userPrompt(item.input)],
  score(item, calls, ctx) {
    const call = firstCall(calls);
    const exp = item.expected;
    if (call.blocked) {
      // The pipeline withheld the answer; the model did not abstain. (Counted as an abstention, a blocked
      // unanswerable item raised abstention_recall while it was scored wrong.)
      return { correct: false, score: 0, abstained: false, citationCorrect: null, hallucinated: false, evidence: [`blocked by the pipeline: ${call.blocked.message}`] };
    }
    const none = call.passages.length ? [] : ['the search found no passage in the collection'];
    if ('abstain' in exp && exp.abstain === true) {
      return {
        correct: call.abstained,
        score: call.abstained ? 1 : 0,
        abstained: call.abstained,
        citationCorrect: null,
        hallucinated: !call.abstained,
        evidence: [call.abstained ? 'abstained as expected (the collection does not hold the answer)' : 'answered although the collection does not hold the answer', ...none],
      };
    }
    if (call.abstained) {
      return { correct: false, score: 0, abstained: true, citationCorrect: null, hallucinated: false, evidence: ['abstained although the collection holds the answer', ...none] };
    }
    const answer = exp as Extract<typeof exp, { answer: string }>;
    const hit = containsAnswer(call.content, [answer.answer, ...answer.accept]);
    const sources = answer.source === undefined ? [] : Array.isArray(answer.source) ? answer.source : [answer.source];
    const citationCorrect = sources.length ? call.citations.some((c) => sources.some((s) => matchesSource(c, s))) : null;
    const ground = checkGroundedness(call.content, citedPassages(call), { minSupport: ctx.settings.minSupport });
    const evidence = [
      hit !== null ? `contains 「${hit}」` : `expected 「${answer.answer}」 not in the answer`,
      ...(citationCorrect === null ? [] : [citationCorrect ? `cites ${sources.join(' | ')}` : `cites ${call.citations.map((c) => `${c.source}#${c.chunk}`).join(', ') || 'nothing'}, expected ${sources.join(' | ')}`]),
      ground.grounded ? 'every sentence is supported by its cited passages' : `unsupported: ${ground.reason}`,
      ...none,
    ];
    return {
      correct: hit !== null,
      score: hit !== null ? 1 : 0,
      abstained: false,
      citationCorrect,
      hallucinated: !ground.grounded,
      evidence,
      details: { groundedness: ground.sentences },
    };
  },
};
