import { beforeAll, describe, expect, it } from 'vitest';
import { createGuard, type Guard } from '../../src/guard/index.js';

let guard: Guard;
beforeAll(async () => {
  guard = await createGuard();
}, 60_000);

const found = (text: string) => guard.scan(text).findings.filter((f) => f.type === 'my_number').map((f) => f.text);

/** 123456789018 has a valid check digit; 123456789012 does not. */
const POSITIVES: [string, string][] = [
  ['{"my_number":"123456789018"}', '123456789018'],
  ['{"my-number": "1234-5678-9018"}', '1234-5678-9018'],
  ['{"individual_number":123456789018}', '123456789018'],
  ['kojin_bango=123456789018', '123456789018'],
  ['kojin_bangou: 123456789018', '123456789018'],
  ['mynumber: 123456789018', '123456789018'],
  ['MyNumber 123456789018', '123456789018'],
  ['マイナンバー 一二三四五六七八九〇一八', '一二三四五六七八九〇一八'],
  ['個人番号：一二三四 五六七八 九〇一八', '一二三四 五六七八 九〇一八'],
  ['マイナンバー\n1234\n5678\n9018', '1234\n5678\n9018'],
  ['マイナンバー 1234.5678.9018', '1234.5678.9018'],
  ['マイナンバー 1234/5678/9018', '1234/5678/9018'],
  ['マイナンバー 1234_5678_9018', '1234_5678_9018'],
  ['マイナンバー 1234   5678   9018', '1234   5678   9018'],
  ['マイナンバー（本人確認のため、通知カードまたは個人番号カードの写しを添付）欄の記入内容は次のとおり：123456789018', '123456789018'],
  ['【マイナンバー】\n\n123456789018', '123456789018'],
  ['マイナンバーNo.123456789018', '123456789018'],
  ['マイナンバー（ID）：123456789018', '123456789018'],
  ['個人番号 No. 1234-5678-9018', '1234-5678-9018'],
];

const NEGATIVES: string[] = [
  // No cue: a valid check digit alone is not enough (today's behaviour).
  '123456789018',
  '{"order_number":"123456789018"}',
  '一二三四五六七八九〇一八',
  '注文番号 1234.5678.9018',
  // Another kind of number named after the cue still vetoes.
  'マイナンバーカードの受付番号 123456789018',
  '個人番号カードのシリアル番号：123456789018',
  // Invalid check digits, amounts, longer numbers.
  'マイナンバー 一二三四五六七八九〇一二',
  'マイナンバー 123456789018円',
  'マイナンバー 1234.5678.9018.5',
  'マイナンバー 1234 5678 9018 3456',
  '特定個人情報 伝票No. 123456789018',
  // Far beyond the window.
  `マイナンバー${'。'.repeat(130)}123456789018`,
];

describe('my_number cues and forms', () => {
  it.each(POSITIVES)('finds %j', (text, span) => expect(found(text)).toEqual([span]));
  it.each(NEGATIVES)('ignores %j', (text) => expect(found(text)).toEqual([]));
});
