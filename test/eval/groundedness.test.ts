import { describe, expect, it } from 'vitest';
import { checkGroundedness } from '../../src/eval/scoring/groundedness.js';
import { extractNumbers } from '../../src/eval/text/normalize.js';

const passage = { source: 'jouhou.txt', chunk: 3, text: '行政機関の長は、開示請求があった日から三十日以内に開示決定等をしなければならない。手数料は三百円とする。' };

describe('groundedness', () => {
  it('accepts sentences supported by the cited passage, kanji numerals included', () => {
    const r = checkGroundedness('開示決定等は、開示請求があった日から30日以内にしなければならない [1]。', [passage]);
    expect(r.grounded).toBe(true);
    expect(r.sentences[0]!.support).toBeGreaterThan(0.5);
  });

  it('flags a number the passages do not state', () => {
    const r = checkGroundedness('開示請求があった日から六十日以内に開示決定等をしなければならない。', [passage]);
    expect(r.grounded).toBe(false);
    expect(r.sentences[0]!.missingNumbers).toEqual(['60']);
    expect(r.reason).toMatch(/number 60/);
  });

  it('flags a flipped negation', () => {
    const r = checkGroundedness('行政機関の長は、開示請求があった日から三十日以内に開示決定等をする必要はない。', [passage]);
    expect(r.grounded).toBe(false);
    expect(r.sentences[0]!.negationMismatch).toBe(true);
  });

  it('flags unrelated claims and answers without citations', () => {
    expect(checkGroundedness('住民票の写しはコンビニエンスストアでも交付される。', [passage]).grounded).toBe(false);
    expect(checkGroundedness('開示決定等は三十日以内にしなければならない。', []).reason).toMatch(/cites no passage/);
  });

  it('reads Arabic and kanji numbers alike', () => {
    expect(extractNumbers('第三十六条の2、1,200円と五百人')).toEqual(['2', '1200', '36', '500']);
  });
});
