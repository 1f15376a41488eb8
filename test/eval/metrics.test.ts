/**
 * The metrics of results.json checked against hand calculation, and their cost on a very large suite.
 */
import { describe, expect, it } from 'vitest';
import { computeMetrics, percentile, taskBreakdown } from '../../src/eval/metrics.js';
import { suiteItemSchema, type SuiteItem } from '../../src/eval/suite/schema.js';
import type { ItemResult } from '../../src/eval/types.js';

const result = (id: string, task: ItemResult['task'], o: Partial<ItemResult> = {}): ItemResult => ({
  id, task, model: 'm', correct: false, score: 0, abstained: false, refused: false, citation_correct: null, hallucinated: null, consistent: null,
  latency_ms: 10, prompt_tokens: 10, completion_tokens: 5, cost_jpy: 0, energy_wh: 0, output: '', citations: [], evidence: [], ...o,
});

describe('eval metrics by hand', () => {
  it('nearest-rank percentiles: p95 of 3 values is the largest, p50 of 4 the second', () => {
    expect(percentile([30, 10, 20], 95)).toBe(30);
    expect(percentile([30, 10, 20], 50)).toBe(20);
    expect(percentile([4, 1, 3, 2], 50)).toBe(2);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 50)).toBeNull();
  });

  it('a 10-item suite: every metric as computed by hand', () => {
    const items = new Map<string, SuiteItem>(
      [
        { id: 'r1', task: 'rag', input: 'q', collection: 'c', expected: { answer: 'a', source: 's.txt' } },
        { id: 'r2', task: 'rag', input: 'q', collection: 'c', expected: { answer: 'a', source: 's.txt' } },
        { id: 'r3', task: 'rag', input: 'q', collection: 'c', expected: { answer: 'a' } },
        { id: 'r4', task: 'rag', input: 'q', collection: 'c', expected: { abstain: true } },
        { id: 'f1', task: 'refusal', input: 'q', expected: { refuse: true } },
        { id: 'f2', task: 'refusal', input: 'q', expected: { refuse: false } },
        { id: 'b1', task: 'bias', input: 'q', variants: [{ attribute: 'x', prompt: 'p' }, { attribute: 'y', prompt: 'p' }], expected: { equivalent: true } },
        { id: 'q1', task: 'qa', input: 'q', expected: { answer: 'a' } },
        { id: 'q2', task: 'qa', input: 'q', expected: { answer: 'a' } },
        { id: 'q3', task: 'qa', input: 'q', expected: { answer: 'a' } },
      ].map((v) => [v.id, suiteItemSchema.parse(v)]),
    );
    const rs = [
      result('r1', 'rag', { correct: true, score: 1, citation_correct: true, hallucinated: false, latency_ms: 30, completion_tokens: 20, cost_jpy: 0.5, energy_wh: 0.01 }),
      result('r2', 'rag', { correct: true, score: 1, citation_correct: false, hallucinated: true, latency_ms: 10, completion_tokens: 10, cost_jpy: 0.25, energy_wh: 0.02 }),
      result('r3', 'rag', { correct: true, score: 1, citation_correct: null, hallucinated: false, latency_ms: 20 }),
      result('r4', 'rag', { correct: true, score: 1, abstained: true, hallucinated: false, latency_ms: 40 }),
      result('f1', 'refusal', { correct: true, score: 1, refused: true, latency_ms: 50 }),
      result('f2', 'refusal', { correct: false, refused: true, latency_ms: 60 }),
      result('b1', 'bias', { correct: false, score: 0.4, consistent: false, latency_ms: 70 }),
      result('q1', 'qa', { correct: true, score: 1, latency_ms: 80 }),
      result('q2', 'qa', { correct: true, score: 1, latency_ms: 90 }),
      // A failed call: wrong, but no latency, tokens or share of any rate.
      result('q3', 'qa', { latency_ms: 0, completion_tokens: 0, error: { code: 'upstream', message: 'down' } }),
    ];
    const m = computeMetrics(rs, items);
    expect(m).toEqual({
      accuracy: 0.7, // r1 r2 r3 r4 f1 q1 q2 of 10
      citation_accuracy: 0.5, // r1 of r1, r2 (r3 names no source, r4 abstains)
      hallucination_rate: 0.25, // r2 of r1..r4
      abstention_recall: 1, // r4
      refusal_rate: 1, // f1 (f2 is a harmless request: over-refusal shows in accuracy)
      bias_consistency: 0,
      latency_ms_p50: 50, // 10 20 30 40 [50] 60 70 80 90: 5th of 9
      latency_ms_p95: 90, // ceil(0.95 × 9) = 9th
      tokens_per_s: 144.44, // (20 + 10 + 7 × 5) = 65 tokens / 450 ms
      cost_jpy: 0.75,
      energy_wh: 0.03,
    });
    expect(taskBreakdown(rs)).toEqual([
      { task: 'rag', items: 4, correct: 4, accuracy: 1, mean_score: 1 },
      { task: 'refusal', items: 2, correct: 1, accuracy: 0.5, mean_score: 0.5 },
      { task: 'bias', items: 1, correct: 0, accuracy: 0, mean_score: 0.4 },
      { task: 'qa', items: 3, correct: 2, accuracy: 0.6667, mean_score: 0.6667 },
    ]);
  });

  it('a very large suite (50 000 results of one task) is summed in well under a second (was 23 s: quadratic grouping)', () => {
    const rs = Array.from({ length: 50_000 }, (_, i) => result(`q${i}`, 'qa', { correct: i % 4 === 0, score: i % 4 === 0 ? 1 : 0, latency_ms: i % 1000 }));
    const t0 = performance.now();
    const [qa] = taskBreakdown(rs);
    const m = computeMetrics(rs, new Map());
    const ms = performance.now() - t0;
    expect(qa).toEqual({ task: 'qa', items: 50_000, correct: 12_500, accuracy: 0.25, mean_score: 0.25 });
    expect(m.accuracy).toBe(0.25);
    expect(m.latency_ms_p50).toBe(499);
    expect(ms).toBeLessThan(2000);
  }, 120_000);
});
