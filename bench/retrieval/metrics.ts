/** Ranking quality over a question set: each question has one gold key and a ranked list of distinct keys. */
export interface RankingScores {
  questions: number;
  recallAt1: number;
  recallAt5: number;
  mrr: number;
}

export function scoreRankings(results: { gold: string; ranked: string[] }[]): RankingScores {
  let r1 = 0;
  let r5 = 0;
  let rr = 0;
  for (const { gold, ranked } of results) {
    const rank = ranked.indexOf(gold);
    if (rank === 0) r1++;
    if (rank >= 0 && rank < 5) r5++;
    if (rank >= 0) rr += 1 / (rank + 1);
  }
  const n = results.length || 1;
  return { questions: results.length, recallAt1: r1 / n, recallAt5: r5 / n, mrr: rr / n };
}

/** Keys in first-seen order (several chunks of one document count once). */
export function distinct(keys: string[]): string[] {
  return [...new Set(keys)];
}

export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export const utf8Bytes = (texts: string[]) => texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
