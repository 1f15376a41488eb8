/** The web UI's strings: both locales have the same keys, every t('key') exists, no Japanese hard-coded in components. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { sourceFiles } from '../helpers/files.js';

const SRC = path.join(ROOT, 'web', 'src');
type Tree = { [k: string]: string | Tree };

function flatten(t: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(t)) {
    if (typeof v === 'string') out.set(prefix + k, v);
    else for (const [kk, vv] of flatten(v, `${prefix}${k}.`)) out.set(kk, vv);
  }
  return out;
}
const load = (l: string) => flatten(JSON.parse(fs.readFileSync(path.join(SRC, 'locales', `${l}.json`), 'utf8')) as Tree);
const sources = (dir: string): string[] => sourceFiles(dir, /\.tsx?$/);

describe('web locales', () => {
  const ja = load('ja');
  const en = load('en');

  it('ja and en have the same keys and the same {placeholders}', () => {
    expect([...en.keys()].sort()).toEqual([...ja.keys()].sort());
    const vars = (s: string) => [...s.matchAll(/(?<!\{)\{(\w+)\}(?!\})/g)].map((m) => m[1]).sort();
    for (const [k, v] of ja) expect(vars(en.get(k)!), k).toEqual(vars(v));
  });

  it('every literal t("key") used in a component exists', () => {
    const missing: string[] = [];
    for (const file of sources(SRC)) {
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt(?:Or)?\('([a-zA-Z0-9_.-]+)'/g)) if (!ja.has(m[1]!) && m[1] !== 'dotted.key') missing.push(`${path.relative(ROOT, file)}: ${m[1]}`);
    }
    expect(missing).toEqual([]);
  });

  it('components hold no hard-coded Japanese UI text (comments aside)', () => {
    const offenders: string[] = [];
    for (const file of sources(SRC)) {
      const code = fs
        .readFileSync(file, 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/(^|[^:])\/\/.*$/gm, '$1');
      code.split('\n').forEach((line, i) => {
        if (/[\u3040-\u30ff\u4e00-\u9fff]/.test(line) && !line.includes('、')) offenders.push(`${path.relative(ROOT, file)}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(offenders).toEqual([]);
  });

  it('index.html declares lang="ja"', () => {
    expect(fs.readFileSync(path.join(ROOT, 'web', 'index.html'), 'utf8')).toMatch(/<html lang="ja">/);
  });
});
