import { beforeAll, describe, expect, it } from 'vitest';
import { createGuard, type Guard } from '../../src/guard/index.js';
import { createNameAnalyzer } from '../../src/guard/names/analyzer.js';
import { NameLexicon } from '../../src/guard/names/lexicon.js';
import { PII_RULES } from '../../src/guard/rules/index.js';
import type { RuleContext } from '../../src/guard/rules/types.js';
import { textFeatures, type TextFeatures } from '../../src/guard/text/features.js';
import { foldDigitDashes, foldWidth } from '../../src/guard/text/fold.js';
import { normalizeForRules } from '../../src/guard/text/normalize.js';
import type { FindingType } from '../../src/guard/types.js';
import { loadDocuments, loadFlags } from '../../bench/data/guard/load.js';
import { syntheticNumbers } from '../../bench/data/guard/synthetic.js';

/** Texts at the edges of the pre-filters: each must still be found (or not) exactly as before. */
const EDGES: [string, FindingType, string | null][] = [
  ['昭和48年7月3日生', 'birth_date', '昭和48年7月3日'],
  ['1980/4/1 生まれ', 'birth_date', '1980/4/1'],
  ['1980-04-01 誕生', 'birth_date', '1980-04-01'],
  ['1980-04-01（誕生）', 'birth_date', null],
  ['DOB 1980-04-01', 'birth_date', '1980-04-01'],
  ['born 1980.4.1', 'birth_date', '1980.4.1'],
  ['学生 1980年4月1日 提出', 'birth_date', null],
  // Dates are scanned line by line: cues on an earlier line still count, but not across a blank line.
  ['生年月日\n1980年4月1日', 'birth_date', '1980年4月1日'],
  ['Born\nx\n1980/4/1', 'birth_date', '1980/4/1'],
  ['誕生日\n\n1980年4月1日', 'birth_date', null],
  ['会議 2024年5月1日\n山田 1980年4月1日生', 'birth_date', '1980年4月1日'],
  ['生年月日：1980年4月1日\n締切 2024年5月1日', 'birth_date', '1980年4月1日'],
  ['IPv6 2001:db8::1 を使用', 'ip_address', '2001:db8::1'],
  ['fe80:0:0:0:abcd:1:2:3 から', 'ip_address', 'fe80:0:0:0:abcd:1:2:3'],
  ['会議 10:00〜11:30', 'ip_address', null],
  ['接続元 192.168.0.1', 'ip_address', '192.168.0.1'],
  ['ｍａｉｌ：ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ', 'email', 'ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ'],
  ['携帯 ０９０ー１２３４ー５６７８', 'phone', '０９０ー１２３４ー５６７８'],
  ['〒100ー0001', 'postal_code', '100ー0001'],
  ['旅券番号 TK1234567', 'passport_number', 'TK1234567'],
  ['ゆうちょ銀行 口座番号 1234567', 'bank_account', '1234567'],
  ['カード 4111 1111 1111 1111', 'credit_card', '4111 1111 1111 1111'],
  ['Taro Yamada', 'person_name', 'Taro Yamada'],
  ['Yamada-san', 'person_name', 'Yamada'],
];

/** Counts that let every pre-filter through, so a rule runs all its patterns. */
const PERMISSIVE: TextFeatures = { digits: 1e9, maxDigitRun: 1e9, at: true, colons: 1e9, upper: 1e9 };

let guard: Guard;
beforeAll(async () => {
  guard = await createGuard();
}, 60_000);

describe('text features', () => {
  it('counts digits, runs, @, colons and capitals of the folded text', () => {
    expect(textFeatures('TEL 03-1234-5678 a@b 10:00')).toEqual({ digits: 14, maxDigitRun: 4, at: true, colons: 1, upper: 3 });
    expect(textFeatures('')).toEqual({ digits: 0, maxDigitRun: 0, at: false, colons: 0, upper: 0 });
    expect(textFeatures(foldWidth('１２３４５'))).toMatchObject({ digits: 5, maxDigitRun: 5 });
  });
});

describe('foldDigitDashes', () => {
  it('turns ー into - only between ASCII digits, keeping the length', () => {
    const cases: [string, string][] = [
      ['03ー1234ー5678', '03-1234-5678'],
      ['センター', 'センター'],
      ['1ーー2', '1ーー2'],
      ['ー1ー', 'ー1ー'],
      ['1ー2ー3', '1-2-3'],
      ['コピー1ー2', 'コピー1-2'],
      ['', ''],
    ];
    for (const [input, out] of cases) {
      expect(foldDigitDashes(input)).toBe(out);
      expect(foldDigitDashes(input)).toBe(input.replace(/(?<=\d)ー(?=\d)/g, '-'));
    }
  });
});

describe('name lexicon lookups', () => {
  const lex = new NameLexicon(['佐', '佐々木田']);
  it('return the longest listed word at a position, by code unit', () => {
    expect(lex.surnameAt('佐々木田さん', 0)).toBe(4);
    expect(lex.surnameAt('佐々木さん', 0)).toBe(3);
    expect(lex.surnameAt('佐藤', 0)).toBe(2);
    expect(lex.surnameAt('佐', 0)).toBe(1);
    expect(lex.surnameAt('は佐', 1)).toBe(1);
    expect(lex.surnameAt('佐', 1)).toBe(0);
    expect(lex.surnameAt('佐', -1)).toBe(0);
    expect(lex.givenAt('山田太郎', 2)).toBeGreaterThan(0);
  });
});

describe('pre-filters', () => {
  it.each(EDGES)('%j → %s %j', (text, type, span) => {
    const hits = guard.scan(text).findings.filter((f) => f.type === type).map((f) => f.text);
    expect(hits).toEqual(span === null ? [] : [span]);
  });

  it('never change a rule’s findings (same as with every pre-filter open)', () => {
    const names = createNameAnalyzer(null, new NameLexicon());
    const texts = [
      ...EDGES.map(([t]) => t),
      ...loadDocuments().flatMap((d) => [d.text, ...d.text.split('\n')]),
      ...syntheticNumbers().docs.map((d) => d.text),
      ...loadFlags().map((f) => f.text),
    ];
    for (const text of texts) {
      const folded = normalizeForRules(text).text;
      for (const [type, rule] of Object.entries(PII_RULES)) {
        const ctx: RuleContext = { text: folded, folded, names, features: textFeatures(folded) };
        const open: RuleContext = { text: folded, folded, names, features: PERMISSIVE };
        expect(rule.detect(ctx), `${type}: ${text}`).toEqual(rule.detect(open));
      }
    }
  });
});
