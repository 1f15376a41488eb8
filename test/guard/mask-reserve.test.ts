/**
 * reservePlaceholders: placeholders already in a request's text are never issued by its session for other
 * values, and stand for themselves when restored (see test/gateway/placeholder-reuse.test.ts for the gateway).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createGuard, createMaskSession, findPlaceholders, unmask, type Guard } from '../../src/guard/index.js';
import { reservePlaceholders } from '../../src/guard/mask.js';

let guard: Guard;
beforeAll(async () => {
  guard = await createGuard();
}, 60_000);

describe('reserved placeholders', () => {
  it('are skipped by the numbering, in any width or with leading zeros, and restore to themselves', () => {
    const session = createMaskSession();
    reservePlaceholders('〔氏名1〕さんの〔電話番号０２〕と〔氏名003〕、〔未知1〕', session);
    const { masked } = guard.mask('申請者 山田太郎様、電話 090-1234-5678。鈴木一郎様、電話 03-1234-5678。', session);
    expect(masked).toBe('申請者 〔氏名2〕様、電話 〔電話番号1〕。〔氏名4〕様、電話 〔電話番号3〕。');
    expect(unmask('〔氏名1〕〔氏名2〕〔電話番号2〕〔電話番号3〕〔氏名3〕', session)).toBe('〔氏名1〕山田太郎〔電話番号2〕03-1234-5678〔氏名3〕');
    // The caller's own placeholders written back are not leaks; one nobody wrote or issued still is.
    expect(findPlaceholders('〔氏名1〕〔氏名5〕', session).map((p) => p.known)).toEqual([true, false]);
  });

  it('leave a session without them as it was (nothing in a text without 〔)', () => {
    const session = createMaskSession();
    reservePlaceholders('ふつうの文章です。', session);
    expect(session.values.size).toBe(0);
    expect(guard.mask('担当 山田太郎様', session).masked).toBe('担当 〔氏名1〕様');
  });
});
