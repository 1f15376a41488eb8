import type { ChatMessage } from '../../models/types.js';
import type { RubricItem } from '../suite/schema.js';
import type { JudgeVerdict } from '../types.js';

/** The judge prompt: the task, the output and the rubric; the judge answers with one 0/1 per rubric item. */
export function judgeMessages(task: string, output: string, rubric: RubricItem[]): ChatMessage[] {
  return [
    {
      role: 'system',
      content:
        'あなたは行政文書の評価者です。回答が各評価項目を満たすかを判定し、JSON {"scores":[…]} だけを出力してください。' +
        'scores には評価項目の順に、満たす場合は 1、満たさない場合は 0 を入れてください。',
    },
    {
      role: 'user',
      content: `# 課題\n${task}\n\n# 回答\n${output}\n\n# 評価項目\n${rubric.map((r, i) => `${i + 1}. ${r.description}`).join('\n')}`,
    },
  ];
}

/** Parse the judge's reply into one 0–1 score per rubric item; null when the reply is not usable. */
export function parseJudgeReply(reply: string, count: number): number[] | null {
  const json = /\{[\s\S]*\}/.exec(reply);
  if (json) {
    try {
      const v = JSON.parse(json[0]) as { scores?: unknown };
      if (Array.isArray(v.scores) && v.scores.length === count && v.scores.every((x) => typeof x === 'number' && x >= 0 && x <= 1)) return v.scores as number[];
    } catch {
      /* fall through to the plain-number form */
    }
  }
  const nums = (reply.match(/\b[01](?:\.\d+)?\b/g) ?? []).map(Number);
  return nums.length === count ? nums : null;
}

/** Ask the judge `repeats` times; report the mean share met and how much the repeats disagree. */
export async function runJudge(ask: (m: ChatMessage[]) => Promise<string>, model: string, task: string, output: string, rubric: RubricItem[], repeats: number): Promise<{ verdict: JudgeVerdict; perItem: number[] } | null> {
  const runs: number[][] = [];
  for (let i = 0; i < repeats; i++) {
    const parsed = parseJudgeReply(await ask(judgeMessages(task, output, rubric)), rubric.length);
    if (parsed) runs.push(parsed);
  }
  if (!runs.length) return null;
  const totals = runs.map((r) => r.reduce((a, b) => a + b, 0) / r.length);
  const mean = totals.reduce((a, b) => a + b, 0) / totals.length;
  const stdev = Math.sqrt(totals.reduce((a, t) => a + (t - mean) ** 2, 0) / totals.length);
  const perItem = rubric.map((_, k) => runs.reduce((a, r) => a + r[k]!, 0) / runs.length);
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return { verdict: { mean: round(mean), spread: round(Math.max(...totals) - Math.min(...totals)), stdev: round(stdev), scores: totals.map(round), model }, perItem };
}
