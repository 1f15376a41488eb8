import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadIpadic } from '../../src/retrieval/analysis/ipadic-cache.js';
import { normalizeText } from '../../src/retrieval/analysis/numerals.js';
import { getTokenizer, kuromojiDicPath, loadFastTokenizer, loadKuromojiTokenizer, type Morpheme, type Tokenizer } from '../../src/retrieval/analysis/tokenizer.js';

const repo = path.resolve(import.meta.dirname, '../..');
const jsquadFile = path.resolve(repo, '../shared/data/jglue/jsquad-valid-v1.3.json');

/** Lines of the bundled statutes and, when the shared data set is present, JSQuAD paragraphs and questions. */
function corpus(): string[] {
  const texts: string[] = [];
  const dir = path.join(repo, 'samples/statutes');
  for (const f of fs.readdirSync(dir).sort()) {
    const lines = fs.readFileSync(path.join(dir, f), 'utf8').split('\n').filter((l) => l.trim());
    texts.push(...lines.slice(0, 400));
  }
  if (fs.existsSync(jsquadFile)) {
    const data = JSON.parse(fs.readFileSync(jsquadFile, 'utf8')) as { data: { paragraphs: { context: string; qas: { question: string }[] }[] }[] };
    for (const article of data.data.slice(0, 120)) {
      for (const p of article.paragraphs) texts.push(p.context, ...p.qas.map((q) => q.question));
    }
  }
  // Mixed scripts, widths, symbols, digits, a surrogate pair and an empty string.
  texts.push('ＡＢＣ株式会社の１２３号室、ｶﾀｶﾅ。', 'iPhone15を2024年9月に購入した。', '𠮷野家で牛丼を食べた。', '第五条の二第六項', '', '　', 'ーーー！？', 'すもももももももものうち');
  // Long runs of one character class (each position of a run groups to its end, found once per run).
  texts.push(`表${'■'.repeat(300)}終`, `${'１２３４５６７８９０'.repeat(40)}円`, `αβγ${'δ'.repeat(200)}の値`, `${'－'.repeat(120)}区切り${'＊'.repeat(50)}`);
  return texts;
}

const key = (ms: Morpheme[]) => ms.map((m) => `${m.surface}/${m.pos}/${m.pos1}/${m.pos2}/${m.pos3}/${m.base}/${m.reading}/${m.known}`);

describe('fast IPADIC tokenizer', () => {
  let fast: Tokenizer;
  let reference: Tokenizer;
  let cacheDir: string;

  beforeAll(async () => {
    cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hiraga-ipadic-'));
    fast = await loadFastTokenizer({ cacheDirs: [cacheDir] });
    reference = await loadKuromojiTokenizer();
  });
  afterAll(() => fs.rmSync(cacheDir, { recursive: true, force: true }));

  it('segments exactly like kuromoji (surface, part of speech, base form, reading)', () => {
    const texts = corpus();
    expect(texts.length).toBeGreaterThan(fs.existsSync(jsquadFile) ? 2000 : 1000);
    const differences: string[] = [];
    for (const raw of texts) {
      const text = normalizeText(raw);
      const a = key(fast.tokenize(text));
      const b = key(reference.tokenize(text));
      if (a.join(' ') !== b.join(' ')) differences.push(`${text.slice(0, 60)}\n  fast:     ${a.join(' ')}\n  kuromoji: ${b.join(' ')}`);
    }
    expect(differences.slice(0, 3)).toEqual([]);
  });

  it('reports start offsets as string indexes that rebuild the input', () => {
    const text = '𠮷野家の「ＡＩ推進法」第3条、国及び地方公共団体は。';
    const ms = fast.tokenize(text);
    expect(ms.map((m) => m.surface).join('')).toBe(text);
    for (const m of ms) expect(text.slice(m.start, m.start + m.surface.length)).toBe(m.surface);
    expect(ms.find((m) => m.surface === '推進')?.known).toBe(true);
  });

  it('writes the decompressed dictionary cache once and reads it on the next start', () => {
    const files = fs.readdirSync(cacheDir).filter((f) => f.endsWith('.bin'));
    expect(files).toHaveLength(1);
    expect(fs.readdirSync(cacheDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const again = loadIpadic({ dicPath: kuromojiDicPath(), cacheDirs: [cacheDir] });
    expect(again.source).toBe('cache');
    expect(again.cacheFile).toBe(path.join(cacheDir, files[0]!));
  });

  it('rebuilds a corrupt cache file instead of trusting it', () => {
    const file = path.join(cacheDir, fs.readdirSync(cacheDir).find((f) => f.endsWith('.bin'))!);
    fs.writeFileSync(file, 'not a dictionary');
    const rebuilt = loadIpadic({ dicPath: kuromojiDicPath(), cacheDirs: [cacheDir] });
    expect(rebuilt.source).toBe('gzip');
    expect(fs.statSync(file).size).toBeGreaterThan(1_000_000);
    expect(loadIpadic({ dicPath: kuromojiDicPath(), cacheDirs: [cacheDir] }).source).toBe('cache');
  });

  it('still loads when no cache folder is writable', async () => {
    const blocked = path.join(cacheDir, 'not-a-folder');
    fs.writeFileSync(blocked, '');
    const tok = await loadFastTokenizer({ cacheDirs: [path.join(blocked, 'sub')] });
    expect(tok.tokenize('借地権の存続期間').map((m) => m.surface)).toEqual(['借地', '権', 'の', '存続', '期間']);
  });

  it('fails loudly on a missing dictionary, so getTokenizer can fall back to kuromoji', async () => {
    await expect(loadFastTokenizer({ dicPath: path.join(cacheDir, 'missing'), cacheDirs: [cacheDir] })).rejects.toThrow();
    const shared = await getTokenizer();
    expect(shared.tokenize('行政文書の開示').map((m) => m.base)).toEqual(['行政', '文書', 'の', '開示']);
  });
});
