import { beforeAll, describe, expect, it } from 'vitest';
import { createGuard, createMaskSession, type Guard } from '../../src/guard/index.js';
import { normalizeForRules, originalSpan } from '../../src/guard/text/normalize.js';
import type { FindingType } from '../../src/guard/types.js';

let guard: Guard;
beforeAll(async () => {
  guard = await createGuard();
}, 60_000);

describe('normalizeForRules', () => {
  it('leaves plain text alone, without a map', () => {
    expect(normalizeForRules('山田太郎 03-1234-5678 abc')).toEqual({ text: '山田太郎 03-1234-5678 abc', map: null });
    expect(normalizeForRules('😀 𠮷田')).toEqual({ text: '😀 𠮷田', map: null });
  });
  it('folds width one for one without a map', () => {
    expect(normalizeForRules('０３－１２３４ー５６７８　ｱｲ')).toEqual({ text: '03-1234-5678 アイ', map: null });
  });
  it('drops format characters and NFKC-normalises, mapping back to the original', () => {
    const src = 'ﾏｲﾅﾝﾊﾞｰ 1\u200b2\u00ad3𝟒㈱';
    const { text, map } = normalizeForRules(src);
    expect(text).toBe('マイナンバー 1234(株)');
    expect(map).not.toBeNull();
    // "1234" covers the original digits and the invisible characters between them.
    const s = text.indexOf('1234');
    const [a, b] = originalSpan(map, s, s + 4);
    expect(src.slice(a, b)).toBe('1\u200b2\u00ad3𝟒');
    // バ comes from two half-width characters.
    const v = text.indexOf('バ');
    expect(src.slice(...originalSpan(map, v, v + 1))).toBe('ﾊﾞ');
    // Part of an expansion maps to the whole source character.
    const k = text.indexOf('株');
    expect(src.slice(...originalSpan(map, k, k + 1))).toBe('㈱');
  });
  it('drops every Cf character and variation selectors, composes decomposed kana', () => {
    expect(normalizeForRules('a\u200c\u200d\u2060\ufeff\u202e\u2066b\ufe0f\u{e0041}c').text).toBe('abc');
    expect(normalizeForRules('は\u3099やし').text).toBe('ばやし');
  });
});

/** Each text hides one value; the finding must cover exactly `span` of the original. */
const HIDDEN: [string, FindingType, string][] = [
  ['マイナンバー 1234\u200b5678\u200b9018 を提出', 'my_number', '1234\u200b5678\u200b9018'],
  ['マイナンバー：1234\u20605678\ufeff9018', 'my_number', '1234\u20605678\ufeff9018'],
  ['個人番号 𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗𝟎𝟏𝟖', 'my_number', '𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗𝟎𝟏𝟖'],
  ['ﾏｲﾅﾝﾊﾞｰ 123456789018', 'my_number', '123456789018'],
  ['ｺｼﾞﾝﾊﾞﾝｺﾞｳ… いえ 個人番号 1234 5678 9018', 'my_number', '1234 5678 9018'],
  ['マイ ナンバー 123456789018', 'my_number', '123456789018'],
  ['マイ　ナンバーは123456789018です', 'my_number', '123456789018'],
  ['山田\u200b太郎様から電話', 'person_name', '山田\u200b太郎'],
  ['申請者：鈴\u00ad木一郎', 'person_name', '鈴\u00ad木一郎'],
  ['電話 0\u200b3-1234-5678', 'phone', '0\u200b3-1234-5678'],
  ['℡ 03-1234-5678', 'phone', '03-1234-5678'],
  ['携帯 𝟎𝟗𝟎-𝟏𝟐𝟑𝟒-𝟓𝟔𝟕𝟖', 'phone', '𝟎𝟗𝟎-𝟏𝟐𝟑𝟒-𝟓𝟔𝟕𝟖'],
  ['メール taro\u200b@example.jp', 'email', 'taro\u200b@example.jp'],
];

describe('invisible and compatibility characters', () => {
  it.each(HIDDEN)('%j → %s', (text, type, span) => {
    const hits = guard.scan(text).findings.filter((f) => f.type === type);
    const start = text.indexOf(span);
    expect(hits.map((h) => [h.start, h.end, h.text])).toContainEqual([start, start + span.length, span]);
  });

  it('masks the whole original span, invisible characters inside included', () => {
    const session = createMaskSession();
    const { masked } = guard.mask('マイナンバー 1234\u200b5678\u200b9018 と 山田\u200b太郎様', session);
    expect(masked).toBe('マイナンバー 〔個人番号1〕 と 〔氏名1〕様');
    expect(guard.mask('個人番号：𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗𝟎𝟏𝟖。', createMaskSession()).masked).toBe('個人番号：〔個人番号1〕。');
  });

  it('keeps offsets exact around emoji, expansions and removed characters', () => {
    const text = '😀㈱\u200b担当 山田花子様 ℡０３－１２３４－５６７８';
    const { findings } = guard.scan(text);
    for (const f of findings) expect(text.slice(f.start, f.end)).toBe(f.text);
    expect(findings.map((f) => [f.type, f.text])).toEqual([
      ['person_name', '山田花子'],
      ['phone', '０３－１２３４－５６７８'],
    ]);
  });
});
