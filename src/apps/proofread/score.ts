import { proofread } from './proofreader.js';
import type { ProofreadIssue, RuleId } from './types.js';

/** One labelled sentence: the spans a correct proofreader flags, by rule (empty = a clean sentence). */
export interface LabelledSentence {
  text: string;
  expect: { rule: RuleId; span: string }[];
}

export interface FamilyScore {
  rule: RuleId;
  expected: number;
  found: number;
  truePositives: number;
  precision: number;
  recall: number;
}

export interface LabelledScore {
  families: FamilyScore[];
  clean: { sentences: number; flagged: number; rate: number; examples: { text: string; issues: ProofreadIssue[] }[] };
  misses: { text: string; rule: RuleId; span: string }[];
  falsePositives: { text: string; issue: ProofreadIssue }[];
}

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) => a.start < b.end && a.end > b.start;

/** Score the proofreader on a labelled set: precision and recall per rule family, false-flag rate on clean sentences. */
export async function scoreLabelled(set: LabelledSentence[]): Promise<LabelledScore> {
  const expected = new Map<RuleId, number>();
  const hit = new Map<RuleId, number>();
  const found = new Map<RuleId, number>();
  const correct = new Map<RuleId, number>();
  const misses: LabelledScore['misses'] = [];
  const falsePositives: LabelledScore['falsePositives'] = [];
  const cleanExamples: LabelledScore['clean']['examples'] = [];
  let clean = 0;
  for (const s of set) {
    const { issues } = await proofread(s.text);
    const spans = s.expect.map((e) => {
      const start = s.text.indexOf(e.span);
      if (start < 0) throw new Error(`labelled set: span "${e.span}" is not in "${s.text}"`);
      return { ...e, start, end: start + e.span.length };
    });
    for (const e of spans) {
      expected.set(e.rule, (expected.get(e.rule) ?? 0) + 1);
      if (issues.some((i) => i.rule === e.rule && overlaps(i, e))) hit.set(e.rule, (hit.get(e.rule) ?? 0) + 1);
      else misses.push({ text: s.text, rule: e.rule, span: e.span });
    }
    for (const i of issues) {
      found.set(i.rule, (found.get(i.rule) ?? 0) + 1);
      if (spans.some((e) => e.rule === i.rule && overlaps(i, e))) correct.set(i.rule, (correct.get(i.rule) ?? 0) + 1);
      else falsePositives.push({ text: s.text, issue: i });
    }
    if (!s.expect.length) {
      clean++;
      if (issues.length) cleanExamples.push({ text: s.text, issues });
    }
  }
  const rules = [...new Set([...expected.keys(), ...found.keys()])];
  const families = rules.map((rule) => {
    const f = found.get(rule) ?? 0;
    const e = expected.get(rule) ?? 0;
    return {
      rule,
      expected: e,
      found: f,
      truePositives: hit.get(rule) ?? 0,
      precision: f ? (correct.get(rule) ?? 0) / f : 1,
      recall: e ? (hit.get(rule) ?? 0) / e : 1,
    };
  });
  return {
    families,
    clean: { sentences: clean, flagged: cleanExamples.length, rate: clean ? cleanExamples.length / clean : 0, examples: cleanExamples },
    misses,
    falsePositives,
  };
}
