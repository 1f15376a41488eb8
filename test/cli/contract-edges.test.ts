/**
 * The CLI's outside contract at its edges (../shared/CONTRACTS.md): a config typo anywhere is an error naming
 * the field (exit 2) and never repeats a secret; every error is one line on stderr; a reader that closes the
 * pipe early gets no stack trace; a --jsonl batch answers every line in order even when the model fails on one
 * of them (exit 1 at the end); a byte-order mark on the first line is no error; a model named twice is one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/store.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';

const SAMPLES = path.resolve(import.meta.dirname, '../../samples/statutes');

let up: Upstream;
let dir: string;
let config: string;
const cli = (args: string[], input?: string) => runCli(['--config', config, '--data-dir', path.join(dir, 'data'), ...args], input === undefined ? {} : { input });
const oneLine = (stderr: string) => stderr.trimEnd().split('\n');

beforeAll(async () => {
  up = await startUpstream();
  dir = tempDir('hiraga-cli-edges-');
  config = path.join(dir, 'hiraga.config.json');
  fs.writeFileSync(
    config,
    JSON.stringify({
      models: [
        { id: 'extractive', provider: 'extractive' },
        { id: 'up', provider: 'openai-compatible', baseUrl: up.url, model: 'upstream-model', clearance: 3, retries: 0 },
      ],
      defaultModel: 'extractive',
    }),
  );
  const ing = await cli(['ingest', SAMPLES, '--collection', 'sample']);
  expect(ing.code, ing.stderr).toBe(0);
}, 120_000);

afterAll(async () => up?.close());

describe('config errors', () => {
  it('a misspelt field inside any section is exit 2 naming it; a secret in the entry is not repeated', async () => {
    const cases: Array<[unknown, string]> = [
      [{ auth: { apiKeys: [{ key: 'a-secret-api-key-0001', user: 'u', rol: 'admin' }] } }, 'auth.apiKeys[0]'],
      [{ models: [{ id: 'x', provider: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1', model: 'm', clearence: 3 }], defaultModel: 'x' }, 'models[0]'],
      [{ guard: { enabeld: true } }, 'guard'],
      [{ review: { require: { copyrigth: false } } }, 'review.require'],
      [{ retrieval: { embeddings: { baseUrl: 'http://127.0.0.1:9/v1', model: 'e', clearence: 1 } } }, 'retrieval.embeddings'],
    ];
    for (const [body, where] of cases) {
      const file = path.join(dir, 'typo.json');
      fs.writeFileSync(file, JSON.stringify(body));
      const r = await runCli(['--config', file, '--data-dir', path.join(dir, 'typo-data'), 'models', 'list']);
      expect(r.code, JSON.stringify(body)).toBe(2);
      expect(oneLine(r.stderr)).toHaveLength(1);
      expect(r.stderr).toContain(where);
      expect(r.stderr).toMatch(/Unrecognized key/);
      expect(r.stderr).not.toContain('a-secret-api-key-0001');
    }
  });

  it('a baseUrl that is not http(s) is a config error, not a failure at call time', async () => {
    const file = path.join(dir, 'url.json');
    fs.writeFileSync(file, JSON.stringify({ models: [{ id: 'x', provider: 'openai-compatible', baseUrl: 'localhost:8000', model: 'm' }] }));
    const r = await runCli(['--config', file, 'models', 'list']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('models[0].baseUrl');
  });
});

describe('one line per error', () => {
  it('usage errors and a parser error quoting its input are one line each, prefixed hiraga:', async () => {
    for (const args of [['guard', 'scan', '--bogus'], ['frobnicate'], ['search', 'foo']]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(oneLine(r.stderr), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(/^hiraga: error: .*\(run with --help for usage\)\n$/);
    }
    const yaml = path.join(dir, 'bad.yaml');
    fs.writeFileSync(yaml, 'models:\n  - id: x\n    provider: [unclosed\n');
    const r = await runCli(['--config', yaml, 'models', 'list']);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toHaveLength(1);
  });

  it('a reader that closes the pipe early gets no stack trace', async () => {
    const input = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ id: i, text: `山田太郎さんの電話は090-1234-${String(i).padStart(4, '0')}です` })).join('\n');
    const { stderr, firstLine } = await new Promise<{ stderr: string; firstLine: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, '--data-dir', path.join(dir, 'data'), 'guard', 'scan', '--jsonl'], { env: { ...process.env, HIRAGA_CONFIG: '' }, stdio: ['pipe', 'pipe', 'pipe'] });
      let err = '';
      let first = '';
      child.stderr.on('data', (d) => (err += d));
      child.stdout.once('data', (d: Buffer) => {
        first = d.toString().split('\n')[0]!;
        child.stdout.destroy(); // what `| head -1` does
      });
      child.on('error', reject);
      child.on('close', () => resolve({ stderr: err, firstLine: first }));
      child.stdin.end(input);
    });
    expect(JSON.parse(firstLine).id).toBe(0);
    expect(stderr).not.toMatch(/EPIPE|at .*\.js:\d+/);
  });
});

describe('--jsonl batches', () => {
  it('ask: a line the model fails on gets its error line, the batch goes on in order, exit 1 at the end', async () => {
    up.script(['ok', { status: 500 }, 'ok']);
    const lines = ['行政手続法の目的は', '申請に対する処分とは', '不利益処分とは'].map((question, i) => JSON.stringify({ id: `q${i}`, question })).join('\n');
    const r = await cli(['ask', '--collection', 'sample', '--model', 'up', '--jsonl'], lines);
    const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(out.map((o) => o.id)).toEqual(['q0', 'q1', 'q2']);
    expect(out[0].answer).toBeTruthy();
    expect(out[1]).toMatchObject({ id: 'q1', code: 'server_error' });
    expect(out[1].error).toContain('500');
    expect(out[2].answer).toBeTruthy();
    expect(r.code).toBe(1);
  });

  it('a byte-order mark before the first line is not part of it', async () => {
    const r = await cli(['guard', 'scan', '--jsonl'], '\uFEFF{"id":"b1","text":"090-1234-5678"}\r\n{"id":"b2","text":"x"}\n');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l).id)).toEqual(['b1', 'b2']);
  });
});

describe('eval run', () => {
  it('a model named twice is compared once', async () => {
    const suite = path.join(dir, 'suite.jsonl');
    fs.writeFileSync(suite, `${JSON.stringify({ id: 'i1', task: 'rag', input: '行政手続法の目的は何か', collection: 'sample', expected: { answer: '公正の確保', source: '行政手続法.txt' } })}\n`);
    const r = await cli(['eval', 'run', suite, '--models', 'extractive,extractive', '--out', path.join(dir, 'ev'), '--no-pdf']);
    expect(r.code, r.stderr).toBe(0);
    const results = JSON.parse(fs.readFileSync(path.join(dir, 'ev', 'results.json'), 'utf8'));
    expect(results.models.map((m: { id: string }) => m.id)).toEqual(['extractive']);
  });
});
