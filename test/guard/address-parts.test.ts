import { beforeAll, describe, expect, it } from 'vitest';
import { createGuard, createMaskSession, type Guard } from '../../src/guard/index.js';

let guard: Guard;
beforeAll(async () => {
  guard = await createGuard();
}, 60_000);

const addresses = (text: string) => guard.scan(text).findings.filter((f) => f.type === 'address').map((f) => f.text);

describe('address spans', () => {
  it.each([
    ['東京都千代田区霞が関1-2-3', '東京都千代田区霞が関1-2-3'],
    ['目黒区自由が丘2-10-5', '目黒区自由が丘2-10-5'],
    ['住所は東京都港区芝公園4-2-8です', '東京都港区芝公園4-2-8'],
    ['現住所は大阪府大阪市北区梅田1-1-1', '大阪府大阪市北区梅田1-1-1'],
    ['住所は港区芝公園4-2-8', '港区芝公園4-2-8'],
    ['わたしはさいたま市浦和区高砂3-15-1に住む', 'さいたま市浦和区高砂3-15-1'],
    ['東京都　港区　芝公園　4-2-8', '東京都　港区　芝公園　4-2-8'],
    ['住所：東京都 港区 芝公園 4-2-8', '東京都 港区 芝公園 4-2-8'],
  ])('%j → %j', (text, span) => expect(addresses(text)).toEqual([span]));

  it('masks from the prefecture on, keeping the words before it', () => {
    expect(guard.mask('住所は東京都港区芝公園4-2-8です', createMaskSession()).masked).toBe('住所は〔住所1〕です');
    expect(guard.mask('東京都千代田区霞が関1-2-3', createMaskSession()).masked).toBe('〔住所1〕');
  });
});
