/**
 * PDF text is one visual line per line, so a sentence that wraps at the margin was cut in two: the chunks held
 * 「…三十日以上でなければならな」 / 「い。」, and the extractive answer quoted half a sentence. Lines that run to the
 * margin are joined again (parsers/pdf-lines.ts).
 *
 * Fixture: test/fixtures/retrieval/gyosei-tetsuzuki-iken-koubo.pdf — 行政手続法 第六章 第三十八条〜第四十二条 as in
 * samples/statutes/行政手続法.txt (e-Gov, see samples/SOURCE.md), printed to PDF by LibreOffice 7.4 (Noto CJK).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerExtractive } from '../../src/models/extractive/answerer.js';
import { chunkDocument } from '../../src/retrieval/chunking/index.js';
import { ingest } from '../../src/retrieval/ingest.js';
import { parsePdf } from '../../src/retrieval/parsers/pdf.js';
import { unwrapPdfLines } from '../../src/retrieval/parsers/pdf-lines.js';
import { Searcher } from '../../src/retrieval/search.js';
import type { Store } from '../../src/store/open.js';
import { minimalPdf } from '../helpers/documents.js';
import { dropStore, storeCases, tempDir } from '../helpers/store.js';

const PDF = path.resolve(import.meta.dirname, '../fixtures/retrieval/gyosei-tetsuzuki-iken-koubo.pdf');
const SAMPLE = path.resolve(import.meta.dirname, '../../samples/statutes/行政手続法.txt');
const SENTENCE = '３ 第一項の規定により定める意見提出期間は、同項の公示の日から起算して三十日以上でなければならない。';

describe('PDF lines wrapped at the margin', () => {
  it('gives the same statute chunks as the text it was printed from', async () => {
    const parsed = await parsePdf(fs.readFileSync(PDF));
    const chunks = chunkDocument('行政手続法（抄）', parsed, { chunkChars: 800 });
    const lines = fs.readFileSync(SAMPLE, 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);
    const from = lines.indexOf('第六章 意見公募手続等');
    const to = lines.indexOf('（結果の公示等）');
    const expected = chunkDocument('行政手続法（抄）', { blocks: [{ kind: 'paragraph', text: ['行政手続法（抄）', ...lines.slice(from, to)].join('\n') }] }, { chunkChars: 800 });
    expect(chunks.map((c) => c.text)).toEqual(expected.map((c) => c.text));
    expect(chunks.find((c) => c.heading.includes('第三十九条'))?.text.split('\n')).toContain(SENTENCE);
  });

  it('keeps unit starts, short lines and blank lines; joins Latin words with a space', () => {
    const full = 'あ'.repeat(40);
    const page = [full, '続き。', full, '２ 次の項', full, '一 次の号', '短い行', '別の行', '', full, 'つづき', 'The quick brown fox jumps over the lazy dog, again and again and again and', 'again.'].join('\n');
    const [out] = unwrapPdfLines([page, '続きのページ。']);
    expect(out!.split('\n')).toEqual([`${full}続き。`, full, '２ 次の項', full, '一 次の号', '短い行', '別の行', '', `${full}つづき`, 'The quick brown fox jumps over the lazy dog, again and again and again and again.']);
  });
});

for (const backend of storeCases()) {
  describe(`a statute PDF answered whole on ${backend.name}`, () => {
    let store: Store;
    let searcher: Searcher;
    beforeAll(async () => {
      store = await backend.open();
      const dir = tempDir();
      fs.copyFileSync(PDF, path.join(dir, 'iken.pdf'));
      await ingest(store, [dir], { collection: 'pdf' });
      searcher = await Searcher.create(store);
    });
    afterAll(async () => dropStore(store));

    it('says a PDF without a text layer needs OCR', async () => {
      const dir = tempDir();
      fs.writeFileSync(path.join(dir, 'scan.pdf'), minimalPdf([]));
      const report = await ingest(store, [dir], { collection: 'scans' });
      expect(report.failed).toEqual([{ source: 'scan.pdf', error: expect.stringMatching(/no text could be extracted: .*OCR/) }]);
    });

    it('quotes the whole sentence, not the part before the line break', async () => {
      const q = '意見提出期間は公示の日から何日以上でなければなりませんか';
      const hits = await searcher.search(q, { collection: 'pdf', k: 5 });
      const passages = hits.map((h, i) => ({ n: i + 1, source: h.source, chunk: h.chunk, heading: h.heading, text: h.text }));
      const r = await answerExtractive(q, passages);
      expect(r.abstained).toBe(false);
      expect(r.citations[0]?.quote).toBe(SENTENCE);
    });
  });
}
