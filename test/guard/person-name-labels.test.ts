import { beforeAll, describe, expect, it } from 'vitest';
import { createGuard, createMaskSession, type Guard } from '../../src/guard/index.js';
import { kanjiAt } from '../../src/guard/names/analyzer.js';

let guard: Guard;
beforeAll(async () => {
  guard = await createGuard();
}, 60_000);

const names = (text: string) => guard.scan(text).findings.filter((f) => f.type === 'person_name').map((f) => f.text);

describe('kanji outside the BMP and variant forms', () => {
  it('counts both halves of a surrogate pair as kanji', () => {
    expect(kanjiAt('𠮷田', 0)).toBe(true);
    expect(kanjiAt('𠮷田', 1)).toBe(true);
    expect(kanjiAt('😀田', 1)).toBe(false);
  });
  it.each([
    ['𠮷田花子様より', '𠮷田花子'],
    ['申請者：𠮷田花子', '𠮷田花子'],
    ['𠮷田さんに連絡', '𠮷田'],
    ['髙橋一郎様', '髙橋一郎'],
    ['髙橋さん', '髙橋'],
    ['山﨑 太郎様', '山﨑 太郎'],
    ['渡邉さん', '渡邉'],
  ])('%j → %j', (text, name) => expect(names(text)).toEqual([name]));
});

describe('a full name after a label, masked whole', () => {
  it.each([
    ['{"氏名":"ヤマダ タロウ"}', 'ヤマダ タロウ'],
    ["{'氏名': 'ヤマダ タロウ'}", 'ヤマダ タロウ'],
    ['{"氏名":"山田太郎","年齢":40}', '山田太郎'],
    ['氏名：ヤマダ タロウ', 'ヤマダ タロウ'],
    ['氏名：ヤマダ　タロウ（窓口）', 'ヤマダ　タロウ'],
    ['申請者：やまだ はなこ', 'やまだ はなこ'],
    ['申請者：やまだ はなこさんからの相談', 'やまだ はなこ'],
    ['相談者 ジョン・スミス', 'ジョン・スミス'],
    ['相談者：ジョン・スミス様', 'ジョン・スミス'],
    ['氏名：John Smith', 'John Smith'],
    ['氏名:"John Smith"', 'John Smith'],
    ['申請者 John A. Smith より', 'John A. Smith'],
    ['申請者：伊集院 光', '伊集院 光'],
    ['申請者：伊集院　光様', '伊集院　光'],
  ])('%j → %j', (text, name) => expect(names(text)).toEqual([name]));

  it.each(['相談者の ケース', '申請者：センター長', '保護者のアンケート・ヒアリング', '担当：IT Support'])('ignores %j', (text) => {
    expect(names(text)).toEqual([]);
  });

  it('masks the whole name', () => {
    expect(guard.mask('{"氏名":"ヤマダ タロウ"}', createMaskSession()).masked).toBe('{"氏名":"〔氏名1〕"}');
    expect(guard.mask('相談者：ジョン・スミス様', createMaskSession()).masked).toBe('相談者：〔氏名1〕様');
  });
});
