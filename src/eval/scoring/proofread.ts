import { bigramSimilarity } from '../text/normalize.js';
import type { ItemOf, ProofreadFinding } from '../suite/schema.js';
import type { Scorer } from '../types.js';
import { clip, firstCall, userPrompt } from './common.js';

const INSTRUCTION = '次の文章を公用文の表記（公用文作成の考え方、公用文における漢字使用等について）に従って校正し、校正後の文章だけを出力してください。内容は変えないでください。';

/** A finding is fixed when the corrected text has the recommended form and no longer has the wrong one. */
export function isFixed(corrected: string, f: ProofreadFinding): boolean {
  const c = corrected.normalize('NFKC');
  const right = f.suggestion.normalize('NFKC');
  const wrong = f.text.normalize('NFKC');
  return c.includes(right) && (right.includes(wrong) || !c.includes(wrong));
}

/** 公用文 proofreading: share of expected findings fixed, and the text otherwise kept. */
export const proofreadScorer: Scorer<ItemOf<'proofread'>> = {
  prompts: (item) => [userPrompt(item.input, INSTRUCTION)],
  score(item, calls, ctx) {
    const call = firstCall(calls);
    const fixed = item.expected.findings.map((f) => !call.blocked && isFixed(call.content, f));
    const share = fixed.filter(Boolean).length / fixed.length;
    const kept = bigramSimilarity(call.content, item.input);
    const correct = share === 1 && kept >= ctx.settings.proofreadMinSimilarity;
    return {
      correct,
      score: Math.round(share * 1000) / 1000,
      abstained: call.abstained,
      evidence: [
        ...item.expected.findings.map((f, i) => `${fixed[i] ? '✓' : '✗'} ${f.text} → ${f.suggestion}`),
        `similarity to the input ${kept.toFixed(2)} (needed ${ctx.settings.proofreadMinSimilarity}); output 「${clip(call.content, 80)}」`,
      ],
    };
  },
};
