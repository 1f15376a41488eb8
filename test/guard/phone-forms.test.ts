import { beforeAll, describe, expect, it } from 'vitest';
import { createGuard, type Guard } from '../../src/guard/index.js';

let guard: Guard;
beforeAll(async () => {
  guard = await createGuard();
}, 60_000);

const phones = (text: string) => guard.scan(text).findings.filter((f) => f.type === 'phone').map((f) => f.text);

describe('phone forms', () => {
  it.each([
    ['電話 03.1234.5678 まで', '03.1234.5678'],
    ['連絡先 090.1234.5678', '090.1234.5678'],
    ['携帯 〇九〇-一二三四-五六七八', '〇九〇-一二三四-五六七八'],
    ['電話：〇三ー一二三四ー五六七八', '〇三ー一二三四ー五六七八'],
    ['TEL 〇三（一二三四）五六七八', '〇三（一二三四）五六七八'],
  ])('%j → %j', (text, span) => expect(phones(text)).toEqual([span]));

  it.each(['〇九〇-一二三四-五六七八', '令和6.4.1', 'バージョン 0.1234.5678', '一二三四五六七八九〇 の順'])('ignores %j', (text) => {
    expect(phones(text)).toEqual([]);
  });
});
