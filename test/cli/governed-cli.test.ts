import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/store.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';

const SAMPLES = path.resolve(import.meta.dirname, '../../samples/statutes');
const MY_NUMBER = '123456789018'; // valid check digit

describe('CLI commands run through the governed pipeline', () => {
  let up: Upstream;
  let dir: string;
  let config: string;
  const cli = (args: string[], input?: string) => runCli(['--config', config, '--data-dir', path.join(dir, 'data'), ...args], input === undefined ? {} : { input });

  beforeAll(async () => {
    up = await startUpstream();
    dir = tempDir();
    config = path.join(dir, 'hiraga.config.json');
    fs.writeFileSync(
      config,
      JSON.stringify({
        models: [
          { id: 'extractive', provider: 'extractive' },
          { id: 'cloud', provider: 'openai-compatible', baseUrl: up.url, model: 'upstream-model', origin: 'foreign', hosting: 'foreign-cloud', clearance: 1, timeoutMs: 5000, retries: 0 },
        ],
        defaultModel: 'extractive',
      }),
    );
    const ing = await cli(['ingest', SAMPLES, '--collection', 'sample']);
    expect(ing.code, ing.stderr).toBe(0);
  });
  afterAll(async () => up.close());

  it('ask --json answers from the collection with citations (offline extractive model) and abstains when it must', async () => {
    const r = await cli(['ask', '行政手続法第5条第3項には何が定められていますか', '--collection', 'sample', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const a = JSON.parse(r.stdout);
    expect(a.model).toBe('extractive');
    expect(a.abstained).toBe(false);
    expect(a.citations[0]).toMatchObject({ source: '行政手続法.txt' });
    expect(a.answer).toContain(a.citations[0].quote);

    const none = JSON.parse((await cli(['ask', '東京タワーの高さは何メートルですか', '--collection', 'sample', '--json'])).stdout);
    expect(none.abstained).toBe(true);
    expect(none.answer).toMatch(/^資料に記載が見当たりません/);
  });

  it('ask --jsonl answers each line in order with its id', async () => {
    const input = ['{"id":"a","question":"開示請求があった日から何日以内に開示決定等をしなければなりませんか"}', 'not json', '{"id":"c","question":"東京タワーの高さは"}'].join('\n');
    const r = await cli(['ask', '--collection', 'sample', '--jsonl'], input);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual(['a', null, 'c']);
    expect(lines[0].citations[0].quote).toContain('三十日以内');
    expect(lines[1].error).toMatch(/line 2/);
    expect(lines[2].abstained).toBe(true);
  });

  it('personal data is masked before it reaches a model not cleared for it, and restored for the requester', async () => {
    const before = up.requests.length;
    const r = await cli(['chat', '--model', 'cloud', '--json', '山田太郎様の電話番号は090-1234-5678です。この文を要約して']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    const sent = JSON.stringify(up.requests.slice(before).map((q) => q.body));
    expect(sent).not.toContain('090-1234-5678');
    expect(sent).not.toContain('山田太郎');
    expect(sent).toContain('〔氏名1〕');
    expect(out.policy).toBe('mask');
    expect(out.confidentiality).toBe(2);
    expect(out.content).toContain('090-1234-5678'); // the echo, restored for the requester only
    expect(typeof out.audit_id).toBe('number');
  });

  it('a My Number (level 3) to a model cleared for level 1 is blocked, and nothing leaves the process', async () => {
    const before = up.requests.length;
    const r = await cli(['chat', '--model', 'cloud', '--json', `申請者のマイナンバーは${MY_NUMBER}です`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/機密性3.*cloud/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(up.requests.length).toBe(before);
  });

  it('chat --out writes the reply with a signed provenance manifest that `provenance verify` checks', async () => {
    const file = path.join(dir, 'reply.txt');
    const r = await cli(['chat', '--model', 'cloud', '--out', file, '公用文の書き方について']);
    expect(r.code, r.stderr).toBe(0);
    const manifest = JSON.parse(fs.readFileSync(`${file}.provenance.json`, 'utf8'));
    expect(manifest.model.id).toBe('cloud');
    expect(typeof manifest.audit_event_id).toBe('number');
    expect((await cli(['provenance', 'verify', file])).code).toBe(0);
    fs.appendFileSync(file, '改ざん');
    expect((await cli(['provenance', 'verify', file])).code).toBe(1);
  });

  it('every call above is in an intact audit trail', async () => {
    const v = await cli(['audit', 'verify']);
    expect(v.code, v.stdout + v.stderr).toBe(0);
  });
});
