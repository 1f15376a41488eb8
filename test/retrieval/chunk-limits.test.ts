/**
 * No chunk is longer than retrieval.chunkChars, whatever the text: a paragraph or a statute paragraph without
 * 。 or line breaks (text extracted from some PDFs) is cut at the last 、 or space before the limit, else at
 * the limit, never inside a surrogate pair; what is cut loses no character.
 */
import { describe, expect, it } from 'vitest';
import { chunkDocument } from '../../src/retrieval/chunking/index.js';
import { packSentences } from '../../src/retrieval/chunking/sentences.js';

const MAX = 200;

describe('chunks stay within chunkChars', () => {
  it('cuts a paragraph with no sentence end, keeping every character in order', () => {
    const text = '行政手続の透明性を確保する' .repeat(100); // 1,300 characters, no 。
    const chunks = chunkDocument('文書', { blocks: [{ kind: 'paragraph', text }] } as never, { chunkChars: MAX });
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) expect(c.text.length).toBeLessThanOrEqual(MAX);
    expect(chunks.map((c) => c.text).join('')).toBe(text);
  });

  it('prefers to cut after a 、 or a space near the limit', () => {
    const clause = 'あ'.repeat(150) + '、' + 'い'.repeat(100);
    const [first] = packSentences([clause], MAX);
    expect(first!.endsWith('、')).toBe(true);
    expect(first!.length).toBe(151);
  });

  it('never cuts inside a surrogate pair', () => {
    const text = 'a' + '𠮷'.repeat(300); // 𠮷 is two UTF-16 units
    const pieces = packSentences([text], MAX);
    for (const p of pieces) {
      expect(p.length).toBeLessThanOrEqual(MAX);
      expect(p).toBe(Array.from(p).join('')); // no lone surrogate
      expect(/[\uD800-\uDBFF]$/.test(p)).toBe(false);
    }
    expect(pieces.join('')).toBe(text);
  });

  it('holds for a statute whose paragraph runs on without 。', () => {
    const para = '前項の規定にかかわらず' + '当該行政機関の長が定める事項'.repeat(60);
    const lines = ['第一章 総則', '（目的）', `第一条 ${para}`, '（定義）', '第二条 この法律において、次の各号に掲げる用語の意義は、当該各号に定めるところによる。'];
    const chunks = chunkDocument('テスト法', { blocks: lines.map((text) => ({ kind: 'paragraph', text })) } as never, { chunkChars: MAX });
    for (const c of chunks) expect(c.text.length).toBeLessThanOrEqual(MAX * 1.5);
    expect(chunks.filter((c) => c.text.includes('当該行政機関の長')).length).toBeGreaterThan(1);
  });
});
