import { beforeAll, describe, expect, it } from 'vitest';
import { classify, createGuard, createMaskSession, decide, findPlaceholders, unmask, type Guard } from '../../src/guard/index.js';
import { defaultGuardConfig } from '../../src/guard/config.js';

let guard: Guard;
beforeAll(async () => {
  guard = await createGuard();
}, 60_000);

describe('masking', () => {
  it('uses typed placeholders, the same one for the same value across messages', () => {
    const session = createMaskSession();
    const a = guard.mask('申請者 山田太郎様、電話 090-1234-5678。', session);
    expect(a.masked).toBe('申請者 〔氏名1〕様、電話 〔電話番号1〕。');
    const b = guard.mask('山田太郎様の携帯は０９０１２３４５６７８、鈴木 一郎様にも連絡。', session);
    expect(b.masked).toBe('〔氏名1〕様の携帯は〔電話番号1〕、〔氏名2〕様にも連絡。');
    expect(b.replaced).toEqual([{ type: 'person_name', placeholder: '〔氏名2〕' }]);
  });

  it('restores placeholders for the requesting user, leaving unknown ones', () => {
    const session = createMaskSession();
    const { masked } = guard.mask('個人番号：123456789018、氏名：佐藤 花子', session);
    expect(masked).toBe('個人番号：〔個人番号1〕、氏名：〔氏名1〕');
    expect(unmask('〔氏名1〕さんの番号は〔個人番号1〕、〔氏名9〕は不明', session)).toBe('佐藤 花子さんの番号は123456789018、〔氏名9〕は不明');
  });

  it('detects placeholders an output invents or leaks', () => {
    const session = createMaskSession();
    guard.mask('担当は佐々木です。', session);
    const out = '〔氏名1〕さんと〔氏名2〕さんに連絡します。';
    expect(findPlaceholders(out, session).map((p) => [p.placeholder, p.known])).toEqual([
      ['〔氏名1〕', true],
      ['〔氏名2〕', false],
    ]);
    const r = guard.scan(out, { origin: 'output', session });
    expect(r.flags).toContain('placeholder_leak');
    expect(guard.scan('〔氏名1〕さんに連絡します。', { origin: 'output', session }).flags).not.toContain('placeholder_leak');
  });
});

describe('confidentiality', () => {
  it.each([
    ['今日の会議は10時からです。', 1],
    ['担当は佐々木です。', 2],
    ['個人番号：123456789018', 3],
    ['【機密性２情報】予算案', 2],
    ['機密性3 人事案', 3],
    ['（取扱注意）資料', 2],
    ['〔秘〕人事異動案', 3],
    ['秘書課からの連絡', 1],
    ['法人番号：7000012050002', 1],
  ] as const)('%s → %i', (text, level) => {
    expect(guard.scan(text).confidentiality).toBe(level);
  });

  it('a declared level raises and never lowers', () => {
    expect(guard.scan('会議の案内', { declaredLevel: 2 }).confidentiality).toBe(2);
    expect(guard.scan('個人番号：123456789018', { declaredLevel: 1 }).confidentiality).toBe(3);
    expect(classify([], [], 3)).toBe(3);
  });
});

describe('policy', () => {
  const policy = defaultGuardConfig().policy;
  it.each([
    [1, 1, 'allow'],
    [2, 1, 'mask'],
    [3, 1, 'block'],
    [3, 2, 'block'],
    [2, 2, 'allow'],
    [3, 3, 'allow'],
  ] as const)('level %i to clearance %i → %s', (level, clearance, action) => {
    expect(decide(level, clearance, policy)).toBe(action);
  });
  it('follows the configured actions', () => {
    expect(decide(3, 1, { '2': 'allow', '3': 'mask' })).toBe('mask');
    expect(decide(2, 1, { '2': 'block', '3': 'block' })).toBe('block');
  });
});
