/**
 * One placeholder per value, however it is written, and never one placeholder for two values: a model's reply
 * is restored through the session, so two phones sharing 〔電話番号1〕 would give the caller the first number
 * where the second was meant.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createGuard, createMaskSession, unmask, type Guard } from '../../src/guard/index.js';

let guard: Guard;
beforeAll(async () => {
  guard = await createGuard();
}, 60_000);

describe('placeholders follow the value, not its spelling', () => {
  it('two numbers written in kanji numerals get two placeholders, each restored to its own value', () => {
    const session = createMaskSession();
    const text = '携帯 〇九〇-一二三四-五六七八、予備の携帯 〇八〇-九八七六-五四三二。マイナンバー：一二三四 五六七八 九〇一八、配偶者のマイナンバー：二三四五 六七八九 〇一二一';
    const { masked } = guard.mask(text, session);
    expect(masked).toBe('携帯 〔電話番号1〕、予備の携帯 〔電話番号2〕。マイナンバー：〔個人番号1〕、配偶者のマイナンバー：〔個人番号2〕');
    expect(unmask('〔電話番号2〕と〔個人番号2〕', session)).toBe('〇八〇-九八七六-五四三二と二三四五 六七八九 〇一二一');
  });

  it('the same number in kanji, mathematical, full-width and ASCII digits is one placeholder', () => {
    const session = createMaskSession();
    const { masked } = guard.mask('携帯 〇九〇-一二三四-五六七八、携帯 ０９０-１２３４-５６７８、携帯 𝟎𝟗𝟎-𝟏𝟐𝟑𝟒-𝟓𝟔𝟕𝟖、携帯 090-1234-5678', session);
    expect(masked).toBe('携帯 〔電話番号1〕、携帯 〔電話番号1〕、携帯 〔電話番号1〕、携帯 〔電話番号1〕');
    // The first spelling is the one restored.
    expect(unmask('〔電話番号1〕', session)).toBe('〇九〇-一二三四-五六七八');
  });

  it('a name with a zero-width space inside is the same person as without it', () => {
    const session = createMaskSession();
    const { masked } = guard.mask('氏名：山田\u200b太郎。再掲 氏名：山田太郎', session);
    expect(masked).toBe('氏名：〔氏名1〕。再掲 氏名：〔氏名1〕');
  });
});
