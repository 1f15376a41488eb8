import { beforeAll, describe, expect, it } from 'vitest';
import { createGuard, type Guard } from '../../src/guard/index.js';
import { loadDocuments } from '../../bench/data/guard/load.js';
import { syntheticNumbers } from '../../bench/data/guard/synthetic.js';

let guard: Guard;
beforeAll(async () => {
  guard = await createGuard();
}, 60_000);

describe('labelled test set', () => {
  it('parses: every gold span points at its text', () => {
    const docs = loadDocuments();
    expect(docs.length).toBeGreaterThanOrEqual(20);
    for (const d of docs) for (const s of d.spans) expect(d.text.slice(s.start, s.end)).toBe(s.text);
  });

  it('meets the overall F1 goal (≥ 0.90, exact spans)', () => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const d of [...loadDocuments(), ...syntheticNumbers().docs]) {
      const key = (x: { type: string; start: number; end: number }) => `${x.type}:${x.start}:${x.end}`;
      const gold = new Set(d.spans.map(key));
      const pred = new Set(guard.scan(d.text).findings.map(key));
      for (const p of pred) (gold.has(p) ? tp++ : fp++);
      for (const g of gold) if (!pred.has(g)) fn++;
    }
    const p = tp / (tp + fp);
    const r = tp / (tp + fn);
    expect((2 * p * r) / (p + r)).toBeGreaterThanOrEqual(0.9);
  });

  it('leaves unlabelled 12/13-digit look-alikes alone (≤ 1%)', () => {
    const { lookAlikes } = syntheticNumbers();
    const hits = lookAlikes.filter((l) => guard.scan(l.text).findings.some((f) => f.start < l.end && l.start < f.end)).length;
    expect(hits / lookAlikes.length).toBeLessThanOrEqual(0.01);
  });
});
