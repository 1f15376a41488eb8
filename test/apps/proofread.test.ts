import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { proofread } from '../../src/apps/proofread/proofreader.js';
import { RULE_IDS } from '../../src/apps/proofread/rules/index.js';
import { scoreLabelled, type LabelledSentence } from '../../src/apps/proofread/score.js';

const labelled: LabelledSentence[] = fs
  .readFileSync(path.join(import.meta.dirname, 'fixtures', 'proofread-labelled.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l));

describe('公用文校正 on the labelled set', () => {
  it('has sentences for every rule family and clean sentences', () => {
    const families = new Set(labelled.flatMap((s) => s.expect.map((e) => e.rule)));
    for (const id of RULE_IDS) expect(families, id).toContain(id);
    expect(labelled.filter((s) => !s.expect.length).length).toBeGreaterThanOrEqual(60);
  });

  it('reaches recall ≥ 0.9 and precision ≥ 0.9 per family, flagging ≤ 5% of clean sentences', async () => {
    const score = await scoreLabelled(labelled);
    for (const f of score.families) {
      expect(f.recall, `${f.rule} recall; misses: ${JSON.stringify(score.misses.filter((m) => m.rule === f.rule))}`).toBeGreaterThanOrEqual(0.9);
      expect(f.precision, `${f.rule} precision`).toBeGreaterThanOrEqual(0.9);
    }
    expect(score.clean.rate, JSON.stringify(score.clean.examples)).toBeLessThanOrEqual(0.05);
  });
});

describe('proofread findings', () => {
  it('gives JavaScript offsets of the flagged text and a corrected text', async () => {
    const text = '😀申請する事ができる。詳細は別紙をご覧下さい。';
    const r = await proofread(text);
    expect(r.issues.map((i) => [i.rule, text.slice(i.start, i.end), i.suggestion])).toEqual([
      ['keishiki-meishi', '事', 'こと'],
      ['hojo-doushi', '下さい', 'ください'],
    ]);
    expect(r.corrected).toBe('😀申請することができる。詳細は別紙をご覧ください。');
  });

  it('uses morphology: 事 and 時 only as formal nouns, 出来 only as a verb', async () => {
    expect((await proofread('事故の事業は時間どおり出来事として記録する。')).issues).toEqual([]);
    const r = await proofread('雨の時は中止する事もある。出来る限り対応する。');
    expect(r.issues.map((i) => i.rule)).toEqual(['keishiki-meishi', 'keishiki-meishi', 'dekiru']);
  });

  it('keeps godan potentials and set phrases with ございます', async () => {
    expect((await proofread('バスで帰れる。休みが取れる。ありがとうございます。')).issues).toEqual([]);
    expect((await proofread('考えれる。')).issues[0]).toMatchObject({ rule: 'ranuki', suggestion: '考えられる' });
  });

  it('reports the wording dictionary’s rephrase-only rules without changing the text', async () => {
    const text = '記載内容に齟齬がないか確認します。';
    const r = await proofread(text);
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]).toMatchObject({ rule: 'prh', fix: false });
    expect(text.slice(r.issues[0]!.start, r.issues[0]!.end)).toBe('齟齬');
    expect(r.corrected).toBe(text);
  });

  it('does not apply the dictionary’s noun okurigana rules to verbs', async () => {
    expect((await proofread('申請を受け付けました。')).issues).toEqual([]);
  });

  it('limits the families when asked', async () => {
    const r = await proofread('３月に申請する事。', { rules: ['hankaku'] });
    expect(r.issues.map((i) => i.rule)).toEqual(['hankaku']);
    expect(r.corrected).toBe('3月に申請する事。');
  });
});
