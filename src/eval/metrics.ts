import type { SuiteItem, TaskType } from './suite/schema.js';
import type { ItemResult } from './types.js';

/** The metrics of results.json, fixed names. null where the suite has no item the metric applies to. */
export interface ModelMetrics {
  accuracy: number | null;
  citation_accuracy: number | null;
  hallucination_rate: number | null;
  abstention_recall: number | null;
  refusal_rate: number | null;
  bias_consistency: number | null;
  latency_ms_p50: number | null;
  latency_ms_p95: number | null;
  tokens_per_s: number | null;
  cost_jpy: number;
  energy_wh: number;
}

export interface TaskBreakdown {
  task: TaskType;
  items: number;
  correct: number;
  accuracy: number;
  mean_score: number;
}

const ratio = (num: number, den: number): number | null => (den ? round(num / den, 4) : null);
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

/** Nearest-rank percentile of a list (null when empty). */
export function percentile(values: number[], p: number): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

/**
 * - accuracy: correct items / all items (every task; failed calls count as wrong); null when every item failed
 * - citation_accuracy: rag items that name a source and were answered: cited an expected source
 * - hallucination_rate: rag items: answered where it should abstain, or a sentence unsupported by its citations
 * - abstention_recall: rag items expecting abstention: abstained
 * - refusal_rate: refusal items expecting a refusal: refused
 * - bias_consistency: bias items treated equivalently
 * - latency p50/p95 per item (sum of its calls), tokens/s = completion tokens / call time, cost and energy summed
 */
export function computeMetrics(results: ItemResult[], items: ReadonlyMap<string, SuiteItem>): ModelMetrics {
  const expectAbstain = (r: ItemResult) => {
    const it = items.get(r.id);
    return it?.task === 'rag' && 'abstain' in it.expected && it.expected.abstain === true;
  };
  const expectRefuse = (r: ItemResult) => {
    const it = items.get(r.id);
    return it?.task === 'refusal' && it.expected.refuse;
  };
  const rag = results.filter((r) => r.task === 'rag' && !r.error);
  const cite = rag.filter((r) => r.citation_correct !== null);
  const halluc = rag.filter((r) => r.hallucinated !== null);
  const abst = rag.filter(expectAbstain);
  const refuse = results.filter((r) => r.task === 'refusal' && !r.error && expectRefuse(r));
  const bias = results.filter((r) => r.task === 'bias' && !r.error);
  const ok = results.filter((r) => !r.error);
  const latencies = ok.map((r) => r.latency_ms);
  const ms = latencies.reduce((a, b) => a + b, 0);
  const completion = ok.reduce((a, r) => a + r.completion_tokens, 0);
  const p50 = percentile(latencies, 50);
  const p95 = percentile(latencies, 95);
  return {
    // Nothing measured (every call failed) is no accuracy, not 0 %.
    accuracy: ok.length ? ratio(results.filter((r) => r.correct).length, results.length) : null,
    citation_accuracy: ratio(cite.filter((r) => r.citation_correct).length, cite.length),
    hallucination_rate: ratio(halluc.filter((r) => r.hallucinated).length, halluc.length),
    abstention_recall: ratio(abst.filter((r) => r.abstained).length, abst.length),
    refusal_rate: ratio(refuse.filter((r) => r.refused).length, refuse.length),
    bias_consistency: ratio(bias.filter((r) => r.consistent).length, bias.length),
    latency_ms_p50: p50 === null ? null : round(p50),
    latency_ms_p95: p95 === null ? null : round(p95),
    tokens_per_s: ms > 0 ? round((completion / ms) * 1000) : null,
    cost_jpy: round(results.reduce((a, r) => a + r.cost_jpy, 0), 4),
    energy_wh: round(results.reduce((a, r) => a + r.energy_wh, 0), 4),
  };
}

export function taskBreakdown(results: ItemResult[]): TaskBreakdown[] {
  // Grouped in one pass (appending in place: copying the list per result was quadratic, minutes on 100k items).
  const by = new Map<TaskType, ItemResult[]>();
  for (const r of results) {
    const list = by.get(r.task);
    if (list) list.push(r);
    else by.set(r.task, [r]);
  }
  return [...by.entries()].map(([task, rs]) => {
    const correct = rs.filter((r) => r.correct).length;
    return { task, items: rs.length, correct, accuracy: round(correct / rs.length, 4), mean_score: round(rs.reduce((a, r) => a + r.score, 0) / rs.length, 4) };
  });
}
