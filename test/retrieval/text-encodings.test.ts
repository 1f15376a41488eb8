/**
 * Text documents in the encodings Japanese offices save in (fixtures made by test/fixtures/encodings/make.py
 * with Python's codecs): each is decoded — never stored as U+FFFD — and found by a search; a file in none of
 * them fails with the reason.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest, type IngestReport } from '../../src/retrieval/ingest.js';
import { decodeText } from '../../src/retrieval/parsers/decode.js';
import { declaredCharset, parseHtml } from '../../src/retrieval/parsers/html.js';
import { Searcher } from '../../src/retrieval/search.js';
import type { Store } from '../../src/store/open.js';
import { dropStore, storeCases, tempDir } from '../helpers/store.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/encodings');
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name));

/** fixture → a sentence only it holds, and a query that finds it. */
const CASES: [file: string, sentence: string, query: string][] = [
  ['sjis.txt', '粗大ごみの収集は、毎月第二水曜日に行う。', '粗大ごみの収集日'],
  ['eucjp.txt', '犬の登録は生涯一回とし、鑑札を交付する。', '犬の登録と鑑札'],
  ['eucjp-kana.txt', 'ひらがなとカタカナのおしらせ。', 'カタカナのおしらせ'],
  ['utf16le-bom.txt', '児童手当の申請は、出生日の翌日から十五日以内に行う。', '児童手当の申請'],
  ['utf16be-bom.txt', '国民年金の免除申請は、毎年七月に受け付ける。', '国民年金の免除'],
  ['utf8-bom.md', '避難訓練は毎年九月一日に実施する。', '避難訓練'],
  ['sjis.md', '図書館の休館日は、毎週月曜日とする。', '図書館の休館日'],
  ['sjis.html', '公民館の会議室は、利用日の三か月前から予約できる。', '公民館の会議室の予約'],
  ['eucjp.html', '斎場の使用料は、市民の場合は無料とする。', '斎場の使用料'],
];

describe('decodeText', () => {
  it('decodes each encoding exactly, Windows-31J characters included', () => {
    for (const [file, sentence] of CASES.filter(([f]) => !f.endsWith('.html'))) expect(decodeText(fixture(file)), file).toContain(sentence);
    const sjis = decodeText(fixture('sjis.txt'));
    expect(sjis).toContain('① 申込みは収集日の一週間前までとする。');
    expect(sjis).toContain('午前９時～午後５時');
    expect(sjis).not.toContain('\ufffd');
    expect(decodeText(fixture('utf16le-bom.txt')).startsWith('# 児童手当要領')).toBe(true); // no BOM left
  });

  it('fails a file that is none of them, saying what to do', () => {
    expect(() => decodeText(fixture('latin1.txt'))).toThrow('not UTF-8 / Shift_JIS / EUC-JP text: save it as UTF-8');
    expect(() => decodeText(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]))).toThrow(/binary file/);
    expect(() => decodeText(Buffer.from([0xff, 0xfe, 0x41]))).toThrow(/UTF-16LE byte-order mark but is not valid UTF-16LE/);
  });

  it('a charset the document declares goes before guessing, and UTF-8 before a wrong declaration', () => {
    const kana = fixture('eucjp-kana.txt');
    expect(decodeText(kana, { declared: 'EUC-JP' })).toContain('ひらがな');
    expect(decodeText(kana, { declared: 'x-sjis' })).toContain('､ﾒ､'); // what the document says, as a browser reads it
    expect(decodeText(Buffer.from('<meta charset="Shift_JIS"><p>実はUTF-8</p>'), { declared: 'Shift_JIS' })).toContain('実はUTF-8');
    expect(decodeText(fixture('sjis.txt'), { declared: 'no-such-charset' })).toContain('粗大ごみ');
  });
});

describe('HTML charset declarations', () => {
  it('reads <meta charset>, <meta http-equiv content> and an XML declaration', async () => {
    expect(declaredCharset(fixture('sjis.html'))).toBe('Shift_JIS');
    expect(declaredCharset(fixture('eucjp.html'))).toBe('EUC-JP');
    expect(declaredCharset(Buffer.from('<?xml version="1.0" encoding="Shift_JIS"?>\n<html>'))).toBe('Shift_JIS');
    expect(declaredCharset(Buffer.from('<html><p>no declaration</p></html>'))).toBeUndefined();
    expect((await parseHtml(fixture('sjis.html'))).title).toBe('公民館利用案内');
    expect((await parseHtml(fixture('eucjp.html'))).title).toBe('斎場利用案内');
  });
});

for (const backend of storeCases()) {
  describe(`ingesting encoded files on ${backend.name}`, () => {
    let store: Store;
    let report: IngestReport;
    let searcher: Searcher;
    beforeAll(async () => {
      store = await backend.open();
      const dir = tempDir();
      for (const f of fs.readdirSync(FIXTURES).filter((f) => !f.endsWith('.py'))) fs.copyFileSync(path.join(FIXTURES, f), path.join(dir, f));
      report = await ingest(store, [dir], { collection: 'encodings' });
      searcher = await Searcher.create(store);
    });
    afterAll(async () => dropStore(store));

    it('adds every decodable file and reports the one that is not text it can read', () => {
      expect(report.added).toBe(CASES.length);
      expect(report.failed).toEqual([{ source: 'latin1.txt', error: expect.stringContaining('not UTF-8 / Shift_JIS / EUC-JP text: save it as UTF-8') }]);
    });

    it('stores no replacement characters', async () => {
      const bad = await store.db.selectFrom('chunks').select('text').where('text', 'like', '%\ufffd%').execute();
      expect(bad).toEqual([]);
    });

    it('finds each file by its own sentence', async () => {
      for (const [file, sentence, query] of CASES) {
        const hits = await searcher.search(query, { collection: 'encodings', k: 3 });
        expect(hits[0]?.source, query).toBe(file);
        expect(hits[0]?.text.replace(/\s+/g, ''), file).toContain(sentence.replace(/\s+/g, ''));
      }
    });
  });
}
