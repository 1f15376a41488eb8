import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/store.js';

describe('hiraga proofread / apps (CLI)', () => {
  it('proofread --json reads stdin and prints issues and the corrected text', async () => {
    const r = await runCli(['proofread', '--json'], { input: '申請する事が出来ます。' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.corrected).toBe('申請することができます。');
    expect(out.issues.map((i: any) => [i.rule, i.start, i.end, i.suggestion])).toEqual([
      ['keishiki-meishi', 4, 5, 'こと'],
      ['dekiru', 6, 8, 'でき'],
    ]);
    expect(Object.keys(out.issues[0])).toEqual(expect.arrayContaining(['rule', 'start', 'end', 'message', 'suggestion']));
  });

  it('proofread --jsonl keeps input order and ids', async () => {
    const input = ['{"id":"a","text":"但し、例外があります。"}', '{"id":"b","text":"問題ありません。"}', 'not json'].join('\n');
    const r = await runCli(['proofread', '--jsonl'], { input });
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual(['a', 'b', null]);
    expect(lines[0].issues[0]).toMatchObject({ rule: 'fukushi-setsuzokushi', start: 0, end: 2, suggestion: 'ただし' });
    expect(lines[1].issues).toEqual([]);
    expect(lines[2].error).toMatch(/line 3/);
  });

  it('apps list --json, apps add, apps run ID and FILE with --out', async () => {
    const dir = tempDir();
    const env = { HIRAGA_DATA_DIR: path.join(dir, 'data') };
    const list = await runCli(['apps', 'list', '--json'], { env });
    expect(list.code, list.stderr).toBe(0);
    const apps = JSON.parse(list.stdout);
    expect(apps.map((a: any) => a.id)).toEqual(['chat', 'qa', 'drafting', 'summarise', 'proofread', 'translate', 'statute']);
    expect(apps[0]).toEqual({ id: 'chat', title: expect.any(String), description: expect.any(String), builtin: true });

    const file = path.join(dir, 'memo.yaml');
    fs.writeFileSync(file, 'id: memo\ntitle: メモ校正\ninputs:\n  - name: text\n    label: 本文\n    required: true\nprompt: "{{text}}"\n');
    const add = await runCli(['apps', 'add', file], { env });
    expect(add.code, add.stderr).toBe(0);
    const after = JSON.parse((await runCli(['apps', 'list', '--json'], { env })).stdout);
    expect(after.at(-1)).toMatchObject({ id: 'memo', builtin: false });

    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({ id: 'bad', title: 'x', inputs: [{ name: 'a', label: 'A', type: 'radio' }] }));
    const rejected = await runCli(['apps', 'add', bad], { env });
    expect(rejected.code).toBe(2);
    expect(rejected.stderr).toMatch(/inputs\[0\]\.type = "radio"/);

    const out = path.join(dir, 'notice.txt');
    const run = await runCli(
      ['apps', 'run', 'drafting', '--input', 'kind=お知らせ', '--input', 'title=図書館の休館', '--input', 'body=図書館を臨時に休館します。', '--input', 'date=2024-04-01', '--json', '--out', out],
      { env },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(json).toMatchObject({ app: 'drafting', model: null, docx: true });
    expect(json.output).toContain('図書館の休館のお知らせ');
    expect(json.output).toContain('令和6年4月1日');
    expect(fs.readFileSync(out, 'utf8')).toContain('図書館の休館のお知らせ');
    expect(fs.existsSync(path.join(dir, 'notice.docx'))).toBe(true);
    expect(fs.existsSync(`${out}.provenance.json`)).toBe(true);

    const direct = await runCli(['apps', 'run', file, '--input', 'text=こんにちは', '--json'], { env });
    expect(direct.code, direct.stderr).toBe(0);
    expect(JSON.parse(direct.stdout)).toMatchObject({ app: 'memo', model: 'extractive' });

    const missing = await runCli(['apps', 'run', 'translate', '--input', 'text=住民票'], { env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/生成モデル|generative model/);
  });
});
