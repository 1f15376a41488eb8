import { hasRuleCheck, type ItemOf } from '../suite/schema.js';
import type { JudgeVerdict, Scorer } from '../types.js';
import { clip, firstCall, userPrompt } from './common.js';
import { runJudge } from './judge.js';
import { checkRubricRules } from './rubric.js';

/**
 * Free generation against a rubric. Rubric items with rules (all/any/none/regex/length) are checked by rule;
 * items with only a description are scored by the judge model when one is configured (asked `judgeRepeats`
 * times, its spread reported), and left out of the score otherwise.
 */
export const generationScorer: Scorer<ItemOf<'generation'>> = {
  prompts: (item) => [userPrompt(item.input)],
  async score(item, calls, ctx) {
    const call = firstCall(calls);
    if (call.blocked) return { correct: false, score: 0, evidence: [`blocked by the pipeline: ${call.blocked.message}`] };
    const rubric = item.expected.rubric;
    const judged = ctx.judge && ctx.judgeModel ? await runJudge(ctx.judge, ctx.judgeModel, item.input, call.content, rubric, ctx.settings.judgeRepeats) : null;
    const evidence: string[] = [];
    const parts: number[] = [];
    rubric.forEach((r, i) => {
      const rule = hasRuleCheck(r) ? checkRubricRules(call.content, r) : null;
      const label = r.id ?? r.description;
      if (rule) {
        parts.push(rule.ok ? 1 : 0);
        evidence.push(`${rule.ok ? '✓' : '✗'} ${label}${rule.ok ? '' : `: ${rule.why}`}`);
      } else if (judged) {
        parts.push(judged.perItem[i]!);
        evidence.push(`judge ${judged.perItem[i]!.toFixed(2)} ${label}`);
      } else {
        evidence.push(`– ${label}: needs a judge model (not configured)`);
      }
    });
    const score = parts.length ? parts.reduce((a, b) => a + b, 0) / parts.length : 0;
    const pass = item.expected.pass ?? 1;
    const judge: JudgeVerdict | undefined = judged?.verdict;
    if (judge) evidence.push(`judge ${judge.model}: mean ${judge.mean}, spread ${judge.spread} over ${judge.scores.length} runs`);
    evidence.push(`output 「${clip(call.content, 80)}」`);
    return { correct: parts.length > 0 && score >= pass - 1e-9, score: Math.round(score * 1000) / 1000, abstained: call.abstained, evidence, ...(judge ? { judge } : {}) };
  },
};
