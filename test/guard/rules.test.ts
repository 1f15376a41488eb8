import { beforeAll, describe, expect, it } from 'vitest';
import { createGuard, type Guard } from '../../src/guard/index.js';
import { isLuhnValid, isValidCorporateNumber, isValidMyNumber } from '../../src/guard/checks/check-digits.js';
import type { FindingType } from '../../src/guard/types.js';

/** One shared table per rule: positives name the exact span; negatives must yield nothing of that type. */
const TABLE: Record<FindingType, { positives: [string, string][]; negatives: string[] }> = {
  my_number: {
    positives: [
      ['個人番号：123456789018 を確認', '123456789018'],
      ['マイナンバー １２３４ ５６７８ ９０１８ です', '１２３４ ５６７８ ９０１８'],
      ['本人の個人番号（マイナンバー）は1234-5678-9018。', '1234-5678-9018'],
    ],
    negatives: ['個人番号：123456789012（誤記）', '文書番号 123456789018', '整理番号 123456789018 個人番号ではない', '申請書ID 1234 5678 9018 3456', 'マイナンバー 123456789018円'],
  },
  corporate_number: {
    positives: [
      ['法人番号：7000012050002 の法人', '7000012050002'],
      ['登録番号 T7000012050002', '7000012050002'],
    ],
    negatives: ['法人番号：1234567890123', '伝票番号 7000012050002', 'JANコード 4901234567894'],
  },
  phone: {
    positives: [
      ['電話 03-1234-5678 まで', '03-1234-5678'],
      ['携帯０９０－１２３４－５６７８', '０９０－１２３４－５６７８'],
      ['代表（03）3213-1111', '（03）3213-1111'],
      ['フリーダイヤル（0120-123-456）', '0120-123-456'],
      ['09012345678 に折り返し', '09012345678'],
      ['+81-3-1234-5678', '+81-3-1234-5678'],
    ],
    negatives: ['受付番号 0312345678', '2024-01-15 締切', '予算額 12,345,678円', '被保険者番号 0001234567'],
  },
  email: {
    positives: [['連絡先 taro.yamada+city@example.lg.jp まで', 'taro.yamada+city@example.lg.jp']],
    negatives: ['@example だけ', 'メールは後ほど'],
  },
  postal_code: {
    positives: [
      ['〒100-0001 東京都', '100-0001'],
      ['郵便番号 1000001', '1000001'],
    ],
    negatives: ['資料番号 123-4567', '電話 123-4567'],
  },
  address: {
    positives: [
      ['住所：東京都港区芝公園1-2-3 ハイツ芝201号室に', '東京都港区芝公園1-2-3 ハイツ芝201号室'],
      ['横浜市中区本町3丁目12番地の方', '横浜市中区本町3丁目12番地'],
      ['北海道札幌市中央区北1条西2丁目から転入', '北海道札幌市中央区北1条西2丁目'],
      ['埼玉県さいたま市浦和区高砂3-15-1', '埼玉県さいたま市浦和区高砂3-15-1'],
    ],
    negatives: ['港区役所にて', '那覇市立病院', '市区町村の区別', '第3回会議は市役所3階で'],
  },
  person_name: {
    positives: [
      ['申請者の山田太郎様より', '山田太郎'],
      ['担当は佐々木です。', '佐々木'],
      ['やまだはなこ様へ', 'やまだはなこ'],
      ['氏名：鈴木 一郎　生年月日', '鈴木 一郎'],
      ['フリガナ：スズキ イチロウ', 'スズキ イチロウ'],
      ['From Taro Yamada', 'Taro Yamada'],
      ['高木総務部長が答弁', '高木'],
      ['代表者：代表取締役 中村 光', '中村 光'],
      ['新海誠さんに依頼', '新海誠'],
    ],
    negatives: ['市民課の皆様', 'お客様各位', 'ご担当者様', '関係者様にご迷惑', '本日は晴天です。', '地域福祉計画策定委員会'],
  },
  birth_date: {
    positives: [
      ['生年月日：昭和55年4月1日', '昭和55年4月1日'],
      ['（平成元年5月5日生）', '平成元年5月5日'],
      ['S45.3.12生', 'S45.3.12'],
      ['1992年2月29日生まれ', '1992年2月29日'],
    ],
    negatives: ['締切 2024年10月31日', '令和6年4月1日から施行', '次回 2024/11/05'],
  },
  credit_card: {
    positives: [['カード番号 4111 1111 1111 1111', '4111 1111 1111 1111']],
    negatives: ['カード番号 4111 1111 1111 1112', '見積番号 4012888888881881', '1234 5678 9012 3456'],
  },
  bank_account: {
    positives: [
      ['みずほ銀行 渋谷支店 普通 1234567', '1234567'],
      ['ゆうちょ銀行 記号番号 10140-12345678', '10140-12345678'],
    ],
    negatives: ['普通 1234567（銀行の記載なし）', '受付番号 1234567'],
  },
  passport_number: {
    positives: [['旅券番号 TK1234567', 'TK1234567']],
    negatives: ['受理番号 AB1234567', '製品コード XY7654321'],
  },
  ip_address: {
    positives: [
      ['接続元 192.168.10.23 から', '192.168.10.23'],
      ['IPv6 2001:db8::1 を使用', '2001:db8::1'],
    ],
    negatives: ['Version 10.2.3.4', '10.0.0.256 は無効', '令和6.4.1'],
  },
};

let guard: Guard;
beforeAll(async () => {
  guard = await createGuard();
}, 60_000);

describe.each(Object.entries(TABLE) as [FindingType, (typeof TABLE)[FindingType]][])('%s rule', (type, { positives, negatives }) => {
  it.each(positives)('finds %j', (text, span) => {
    const hits = guard.scan(text).findings.filter((f) => f.type === type);
    const start = text.indexOf(span);
    expect(start).toBeGreaterThanOrEqual(0);
    expect(hits.map((h) => [h.start, h.end, h.text])).toContainEqual([start, start + span.length, span]);
  });
  it.each(negatives)('ignores %j', (text) => {
    expect(guard.scan(text).findings.filter((f) => f.type === type)).toEqual([]);
  });
});

describe('check digits', () => {
  it('validates My Number, corporate number and Luhn', () => {
    expect(isValidMyNumber('123456789018')).toBe(true);
    expect(isValidMyNumber('123456789012')).toBe(false);
    expect(isValidCorporateNumber('7000012050002')).toBe(true);
    expect(isValidCorporateNumber('1234567890123')).toBe(false);
    expect(isLuhnValid('4111111111111111')).toBe(true);
    expect(isLuhnValid('4111111111111112')).toBe(false);
  });
});

describe('offsets', () => {
  it('are JavaScript indices into the original text, across full-width characters and emoji', () => {
    const text = '😀　氏名：山田 太郎　ＴＥＬ：０３－１２３４－５６７８';
    for (const f of guard.scan(text).findings) expect(text.slice(f.start, f.end)).toBe(f.text);
    expect(guard.scan(text).findings.map((f) => f.type)).toEqual(['person_name', 'phone']);
  });
  it('never includes the honorific in a name', () => {
    for (const text of ['小川 節子様', '田中さん', '遠藤氏', '佐藤殿']) {
      const [f] = guard.scan(text).findings;
      expect(f?.text).toBe(text.replace(/(様|さん|氏|殿)$/, ''));
    }
  });
});
